// Text readers (trace-cmd report, trace/trace_pipe, function_graph) on any bytes.
#include "parsers/text/text_loader.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    irqlens::LoadOptions options;
    options.threads = 1;
    (void)irqlens::loadTextCapture(irqlens::fuzz::inputAsFile(data, size), options);
    return 0;
}
