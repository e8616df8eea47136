// The lesson loader: any text is a lesson or a LessonError; an accepted lesson runs.
#include "attention/lesson.h"
#include "fuzzutil.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    try {
        const Lesson lesson = parseLesson(fuzz::asText(data, size));
        (void)runLesson(lesson);
    } catch (const LessonError&) {
    }
    return 0;
}
