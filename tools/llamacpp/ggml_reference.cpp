// ggml_reference: llama.cpp's own quantiser and dequantisers on files, the independent reference
// of AttnViz's GGUF tests (test tool only, never linked into the product).
//   ggml_reference [--libs DIR] info [ID...]
//       "commit HASH", then "type ID BLOCK_ELEMENTS BLOCK_BYTES NAME" per id (default: all; the
//       name, last, may have spaces: ggml names retired ids "TYPE_Q4_0_4_4 REMOVED, ...")
//   ggml_reference [--libs DIR] quantize TYPE in.f32 out.bin [ROW_LENGTH]
//       ggml_quantize_chunk over rows of ROW_LENGTH values (default: the whole file, one row)
//   ggml_reference [--libs DIR] dequantize TYPE in.bin out.f32
//       ggml's dequantize_row_* (or fp16/bf16 row conversion) over whole blocks
// TYPE is a ggml type name (case-insensitive: q4_K, IQ4_XS) or its GGUF id. Floats are raw
// little-endian float32. DIR defaults to the configured ATTNVIZ_LLAMACPP_LIBS.
#include "ggmllibrary.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

using attnviz::llamacpp::GgmlLibrary;

namespace {

std::vector<std::uint8_t> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const std::string& path, const void* data, std::size_t size)
{
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

int typeArgument(const GgmlLibrary& ggml, const std::string& name)
{
    const int type = ggml.typeNamed(name);
    if (type < 0)
        throw std::runtime_error("ggml has no type " + name);
    return type;
}

void printInfo(const GgmlLibrary& ggml, const std::vector<int>& ids)
{
    std::cout << "commit " << ggml.commit() << "\n";
    for (int id : ids) {
        if (id < 0 || id >= GgmlLibrary::typeCount)
            throw std::runtime_error("type id " + std::to_string(id) + " is past ggml's types");
        std::cout << "type " << id << " " << ggml.blockElements(id) << " " << ggml.blockBytes(id) << " "
                  << ggml.typeName(id) << "\n";
    }
}

void quantize(const GgmlLibrary& ggml, int type, const std::string& inPath, const std::string& outPath,
              std::int64_t rowLength)
{
    if (!ggml.canQuantize(type))
        throw std::runtime_error("ggml_quantize_chunk does not quantise " + ggml.typeName(type));
    if (ggml.requiresImportanceMatrix(type))
        throw std::runtime_error(ggml.typeName(type) + " needs an importance matrix, which this tool does not pass");
    const std::vector<std::uint8_t> bytes = readFile(inPath);
    if (bytes.size() % sizeof(float) != 0)
        throw std::runtime_error(inPath + " is not a whole number of floats");
    std::vector<float> values(bytes.size() / sizeof(float));
    if (!values.empty())
        std::memcpy(values.data(), bytes.data(), bytes.size());
    const auto count = static_cast<std::int64_t>(values.size());
    if (rowLength == 0)
        rowLength = count;
    const std::int64_t block = ggml.blockElements(type);
    if (count == 0 || rowLength <= 0 || count % rowLength != 0 || rowLength % block != 0)
        throw std::runtime_error(inPath + ": " + std::to_string(count) + " values are no whole rows of " +
                                 std::to_string(rowLength) + " in blocks of " + std::to_string(block));
    std::vector<std::uint8_t> blocks(static_cast<std::size_t>(count / block) * ggml.blockBytes(type));
    const std::size_t written = ggml.quantize(type, values.data(), blocks.data(), count / rowLength, rowLength);
    if (written != blocks.size())
        throw std::runtime_error("ggml_quantize_chunk wrote " + std::to_string(written) + " bytes, not " +
                                 std::to_string(blocks.size()));
    writeFile(outPath, blocks.data(), blocks.size());
}

void dequantize(const GgmlLibrary& ggml, int type, const std::string& inPath, const std::string& outPath)
{
    const std::vector<std::uint8_t> blocks = readFile(inPath);
    const std::size_t blockBytes = ggml.blockBytes(type);
    if (blocks.size() % blockBytes != 0)
        throw std::runtime_error(inPath + " is not a whole number of " + ggml.typeName(type) + " blocks");
    const std::size_t count = blocks.size() / blockBytes * static_cast<std::size_t>(ggml.blockElements(type));
    std::vector<float> values(count);
    if (ggml.typeName(type) == "f32") {
        if (count > 0)
            std::memcpy(values.data(), blocks.data(), blocks.size());
    } else if (const auto toFloat = ggml.toFloat(type)) {
        toFloat(blocks.data(), values.data(), static_cast<std::int64_t>(count));
    } else {
        throw std::runtime_error("ggml has no dequantiser for " + ggml.typeName(type));
    }
    writeFile(outPath, values.data(), values.size() * sizeof(float));
}

int usage()
{
    std::cerr << "usage: ggml_reference [--libs DIR] info [ID...]\n"
                 "       ggml_reference [--libs DIR] quantize TYPE in.f32 out.bin [ROW_LENGTH]\n"
                 "       ggml_reference [--libs DIR] dequantize TYPE in.bin out.f32\n";
    return 2;
}

} // namespace

int main(int argc, char* argv[])
{
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string libs = ATTNVIZ_LLAMACPP_LIBS;
    if (args.size() >= 2 && args[0] == "--libs") {
        libs = args[1];
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.empty())
        return usage();
    try {
        const GgmlLibrary ggml(libs);
        const std::string& command = args[0];
        if (command == "info") {
            std::vector<int> ids;
            for (std::size_t i = 1; i < args.size(); ++i)
                ids.push_back(std::stoi(args[i]));
            if (ids.empty()) {
                for (int id = 0; id < GgmlLibrary::typeCount; ++id)
                    ids.push_back(id);
            }
            printInfo(ggml, ids);
        } else if (command == "quantize" && (args.size() == 4 || args.size() == 5)) {
            quantize(ggml, typeArgument(ggml, args[1]), args[2], args[3], args.size() == 5 ? std::stoll(args[4]) : 0);
        } else if (command == "dequantize" && args.size() == 4) {
            dequantize(ggml, typeArgument(ggml, args[1]), args[2], args[3]);
        } else {
            return usage();
        }
    } catch (const std::exception& e) {
        std::cerr << "ggml_reference: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
