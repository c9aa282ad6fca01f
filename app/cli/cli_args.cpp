#include "app/cli/cli_args.h"

#include <algorithm>
#include <iostream>

namespace irqlens::cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) {
        return std::nullopt;
    }
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<ParsedArgs> parseArgs(const std::vector<std::string>& args,
                                    const std::vector<OptionSpec>& specs, std::string& error) {
    ParsedArgs parsed;
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
            parsed.positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        const auto eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const auto spec = std::find_if(specs.begin(), specs.end(),
                                       [&](const OptionSpec& s) { return s.name == name; });
        if (spec == specs.end()) {
            error = "unknown option '" + name + "'";
            return std::nullopt;
        }
        if (!spec->repeatable && parsed.has(name)) {
            error = "option '" + name + "' given twice";
            return std::nullopt;
        }
        auto& slot = parsed.values_[name];
        if (!spec->takesValue) {
            if (eq != std::string::npos) {
                error = "option '" + name + "' takes no value";
                return std::nullopt;
            }
            continue;
        }
        if (eq != std::string::npos) {
            slot.push_back(arg.substr(eq + 1));
        } else if (i + 1 < args.size()) {
            slot.push_back(args[++i]);
        } else {
            error = "option '" + name + "' needs a value";
            return std::nullopt;
        }
    }
    return parsed;
}

int usageError(const std::string& command, const std::string& message) {
    std::cerr << "irqlens-cli " << command << ": " << message << " (see irqlens-cli " << command
              << " --help)\n";
    return 2;
}

std::optional<OutputFormat> outputFormat(const std::string& command, const ParsedArgs& args,
                                         bool csvAllowed) {
    const bool json = args.has("--json");
    const bool csv = csvAllowed && args.has("--csv");
    if (json && csv) {
        usageError(command, "--json and --csv exclude each other");
        return std::nullopt;
    }
    return json ? OutputFormat::Json : csv ? OutputFormat::Csv : OutputFormat::Table;
}

} // namespace irqlens::cli
