//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A main for a fuzz target built without libFuzzer (with g++ and its
// sanitizers, or any compiler): runs the target on every file of the given
// files and directories (a corpus), then on --random=N inputs drawn from a
// fixed --seed, so that a build that has no coverage-guided fuzzer still
// explores beyond the corpus, reproducibly.
//
//   replay [--random=N] [--seed=S] [--max-len=L] path...

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace
{

void run_file(const std::filesystem::path& p)
{
    std::ifstream f(p, std::ios::binary);
    std::vector<char> bytes{std::istreambuf_iterator<char>(f),
                            std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                           bytes.size());
}

bool option(const std::string& arg, const char* name, unsigned long& value)
{
    std::string prefix = std::string("--") + name + "=";
    if (arg.rfind(prefix, 0) != 0)
        return false;
    value = std::stoul(arg.substr(prefix.size()));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    unsigned long random_inputs = 0, seed = 1, max_len = 512;
    std::size_t files = 0;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (option(arg, "random", random_inputs) || option(arg, "seed", seed) ||
            option(arg, "max-len", max_len))
            continue;
        std::filesystem::path p(arg);
        if (std::filesystem::is_directory(p))
        {
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file())
                {
                    run_file(e.path());
                    ++files;
                }
        }
        else if (std::filesystem::is_regular_file(p))
        {
            run_file(p);
            ++files;
        }
        else
        {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
            return EXIT_FAILURE;
        }
    }
    std::mt19937_64 gen(seed);
    std::vector<std::uint8_t> input;
    for (unsigned long i = 0; i < random_inputs; ++i)
    {
        input.resize(gen() % (max_len + 1));
        for (auto& b : input)
            b = static_cast<std::uint8_t>(gen());
        LLVMFuzzerTestOneInput(input.data(), input.size());
    }
    std::printf("replay: %zu corpus inputs and %lu random inputs (seed %lu) passed\n",
                files, random_inputs, seed);
    return EXIT_SUCCESS;
}
