#!/usr/bin/env bash
# check_completion.sh SOURCE_DIR BIN_DIR: bash completion of irqlens-cli
# completes the subcommands, each one's options and the record presets, as the
# CLI's help texts list them.
set -euo pipefail
source /usr/share/bash-completion/bash_completion
source "$1/packaging/irqlens-cli.bash-completion"
PATH=$2:$PATH
fail() { echo "FAIL: $*" >&2; exit 1; }
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _irqlens_cli
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect() { # expected got what
    [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}
# the commands the CLI lists (awk on the "Commands:" block), which must include the first five
listed=$(irqlens-cli --help | awk '/^Commands:/ {on = 1; next} on && NF == 0 {on = 0} on {print $1}')
for c in compare latency record spans summary; do
    grep -qx "$c" <<<"$listed" || fail "irqlens-cli --help does not list $c"
done
expect "$(printf '%s\n' --help --version help $listed | sort | tr '\n' ' ')" \
    "$(complete_words irqlens-cli '')" "commands"
expect "$(grep '^s' <<<"$listed" | sort | tr '\n' ' ')" "$(complete_words irqlens-cli s)" \
    "commands starting with s"
expect "compare " "$(complete_words irqlens-cli help co)" "help COMMAND"
expect "bottom-halves funcgraph none stacks " "$(complete_words irqlens-cli record --preset '')" "presets"
expect "--csv --help --json --mechanism " "$(complete_words irqlens-cli latency --)" "latency options"
# every option named in a subcommand's help is offered
for c in $listed; do
    got=" $(complete_words irqlens-cli "$c" --)"
    for o in $(irqlens-cli "$c" --help | grep -oE '^ +--[a-z][a-z0-9-]*' | tr -d ' '); do
        [[ $got == *" $o "* ]] || fail "$c: $o not completed"
    done
done
echo "OK: completion"
