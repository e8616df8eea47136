// The session reader: any text is a session or a SessionError; an accepted session writes back to
// a document that reads as the same session.
#include "fuzzutil.h"
#include "session/session.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    try {
        const Session session = parseSession(fuzz::asText(data, size));
        if (!(parseSession(sessionToJson(session)) == session))
            std::abort(); // the writer and the reader disagree
    } catch (const SessionError&) {
    }
    return 0;
}
