#!/bin/sh
# kallsyms_check.sh FIRST FINAL: fails unless every symbol of the final image
# has the address it had in the first link (the one with an empty symbol
# table); only kernel_image_end, past the table, may move.
set -eu
first=$(mktemp)
final=$(mktemp)
trap 'rm -f "$first" "$final"' EXIT
nm -n "$1" | grep -v ' kernel_image_end$' > "$first"
nm -n "$2" | grep -v ' kernel_image_end$' > "$final"
if ! cmp -s "$first" "$final"; then
    echo "kallsyms: the symbol table moved addresses in $2:" >&2
    diff "$first" "$final" | head -20 >&2
    exit 1
fi
