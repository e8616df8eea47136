# Runs llama.cpp (through llamacpp_reference) over the fixture GGUF files: quantised variants and
# the reference outputs of one forward pass each. Run as a ctest fixture setup:
#   cmake -DTOOL=<llamacpp_reference> -DFIXTURES=<dir with manifest.tsv> -DOUT=<dir> -P this file
# Writes OUT/quant/<fixture>-<TYPE>.gguf (every pure type for every fixture, the mixtures for llama3)
# and OUT/eval/<fixture>[-<TYPE>[-dequantised]]/ (attn_<layer>.npy, logits.npy, tokens.npy; see
# README.md), -dequantised for the variant's weights dequantised by ggml into an F32 file, and
# OUT/split-eval/llama3/ for the llama3 fixture read from its split shards.
foreach(var TOOL FIXTURES OUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "make_reference_outputs.cmake needs -D${var}=...")
    endif()
endforeach()

# Every type AttnViz reads, for every fixture; llama.cpp's mixtures too for llama3, Q4_K_M (the usual
# download) for all.
set(pure_types F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q2_K Q3_K Q4_K Q5_K Q6_K IQ4_NL IQ4_XS)
set(all_types ${pure_types} Q3_K_S Q3_K_M Q3_K_L Q4_K_S Q4_K_M Q5_K_S Q5_K_M)
set(common_types ${pure_types} Q4_K_M)

function(run_tool)
    execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "llamacpp_reference ${ARGN} failed (${status}):\n${out}${err}")
    endif()
endfunction()

file(MAKE_DIRECTORY ${OUT}/quant ${OUT}/eval)
file(STRINGS ${FIXTURES}/manifest.tsv lines ENCODING UTF-8) # the texts hold no ';'
foreach(line IN LISTS lines)
    string(REPLACE "\t" ";" fields "${line}")
    list(GET fields 0 name)
    list(GET fields 5 text)
    run_tool(eval ${FIXTURES}/${name}.gguf --text "${text}" --out ${OUT}/eval/${name})
    if(name STREQUAL "llama3")
        # The same model as gguf-split's shards (make_gguf_fixtures.py): llama.cpp opens the first.
        run_tool(eval ${FIXTURES}/split/${name}-00001-of-00003.gguf --text "${text}" --out ${OUT}/split-eval/${name})
        set(types ${all_types})
    else()
        set(types ${common_types})
    endif()
    foreach(type IN LISTS types)
        set(variant ${name}-${type})
        run_tool(quantize ${FIXTURES}/${name}.gguf ${OUT}/quant/${variant}.gguf ${type})
        run_tool(eval ${OUT}/quant/${variant}.gguf --text "${text}" --out ${OUT}/eval/${variant})
        # The same weights dequantised by ggml into an F32 file: llama.cpp's maps without its 8-bit
        # activations, the reference for AttnViz's F32 arithmetic on quantised weights.
        run_tool(quantize ${OUT}/quant/${variant}.gguf ${OUT}/quant/${variant}-dequantised.gguf F32 --allow-requantize)
        run_tool(eval ${OUT}/quant/${variant}-dequantised.gguf --text "${text}" --out ${OUT}/eval/${variant}-dequantised)
    endforeach()
endforeach()
message(STATUS "llama.cpp reference outputs in ${OUT}")
