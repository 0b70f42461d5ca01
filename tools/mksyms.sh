#!/bin/sh
# Writes the kernel's symbol table as assembly for the .ksyms section (kernel/ksyms.h).
#   mksyms.sh NM ELF OUT.S     table of ELF's code symbols (ELF "" gives an empty table)
#   mksyms.sh NM --same A B    fails unless A and B have the same code symbols at the
#                              same addresses (the table must not move the code it names)
set -eu
nm=$1

code_symbols() {
	"$nm" -n --defined-only "$1" | awk '$2 ~ /^[tT]$/ && $3 !~ /^(\$|\.L)/ { print $1, $3 }'
}

if [ "$2" = "--same" ]; then
	a=$(mktemp) b=$(mktemp)
	trap 'rm -f "$a" "$b"' EXIT
	code_symbols "$3" >"$a"
	code_symbols "$4" >"$b"
	cmp -s "$a" "$b" || { echo "mksyms: the symbol table moved kernel code" >&2; exit 1; }
	exit 0
fi

elf=$2 out=$3
{ [ -n "$elf" ] && code_symbols "$elf"; } | awk '
	{ addr[NR] = $1; name[NR] = $2 }
	END {
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.globl ksyms_count, ksyms_addresses, ksyms_name_offsets, ksyms_names"
		printf "ksyms_count:\n\t.quad %d\n", NR
		print "ksyms_addresses:"
		for (i = 1; i <= NR; i++) printf "\t.quad 0x%s\n", addr[i]
		print "ksyms_name_offsets:"
		offset = 0
		for (i = 1; i <= NR; i++) { printf "\t.long %d\n", offset; offset += length(name[i]) + 1 }
		print "ksyms_names:"
		for (i = 1; i <= NR; i++) printf "\t.asciz \"%s\"\n", name[i]
	}' >"$out"
