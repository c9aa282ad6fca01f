// A small command-line parser for the subcommands: `--flag`, `--opt VALUE`,
// `--opt=VALUE`, repeatable options, positionals, and `--` to end options.
// Errors are returned as one line (never thrown), so every subcommand reports
// bad usage the same way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace irqlens::cli {

struct OptionSpec {
    std::string name;        // "--kind"
    bool takesValue = false; // "--kind hardirq"
    bool repeatable = false; // "--group X --group Y"
};

class ParsedArgs {
public:
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return values_.count(name) != 0; }
    // The value of a single-valued option, or nullopt.
    std::optional<std::string> value(const std::string& name) const;
    // Every value of a repeatable option, in order.
    std::vector<std::string> values(const std::string& name) const;

private:
    friend std::optional<ParsedArgs> parseArgs(const std::vector<std::string>&,
                                               const std::vector<OptionSpec>&, std::string&);
    std::map<std::string, std::vector<std::string>> values_;
};

// Parses `args` against `specs`; on failure returns nullopt and sets `error`
// to a short reason ("unknown option '--foo'").
std::optional<ParsedArgs> parseArgs(const std::vector<std::string>& args,
                                    const std::vector<OptionSpec>& specs, std::string& error);

// Prints "irqlens-cli COMMAND: MESSAGE (see irqlens-cli COMMAND --help)" on
// stderr and returns 2, the exit status of bad usage.
int usageError(const std::string& command, const std::string& message);

// The output format a command was asked for: exactly one of --json / --csv or
// the readable table.  Returns nullopt (and reports) when both are given.
enum class OutputFormat { Table, Json, Csv };
std::optional<OutputFormat> outputFormat(const std::string& command, const ParsedArgs& args,
                                         bool csvAllowed = true);

} // namespace irqlens::cli
