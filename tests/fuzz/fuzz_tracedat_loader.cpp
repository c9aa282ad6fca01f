// loadCapture() (format probe, our trace.dat layout walk, libtracecmd) on any bytes.
#include "parsers/capture_loader.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    irqlens::LoadOptions options;
    options.threads = 1;
    (void)irqlens::loadCapture(irqlens::fuzz::inputAsFile(data, size), options);
    return 0;
}
