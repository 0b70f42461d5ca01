#pragma once
// The initial stack of a Linux AArch64 program, as the ABI lays it out:
//   sp -> argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs ..., AT_NULL, 0,
//   then, higher up, the strings and the 16 AT_RANDOM bytes. sp is 16-byte aligned.
// Used by the kernel for the programs it starts (kernel/exec.c) and by PM's execve
// (servers/pm/exec.c), so that both give a program the same auxiliary vector.
#include <stddef.h>
#include <stdint.h>
#include <xinim/elf.h>

// The auxiliary vector's types, Linux's numbers (a libc's <elf.h> may define them first).
#ifndef AT_NULL
enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
	AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
	AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26,
	AT_EXECFN = 31, AT_SYSINFO_EHDR = 33,
};
#endif

#define INITSTACK_MAX_AUX 24

struct initstack {
	int argc;
	const char *const *argv;
	int envc;
	const char *const *envp;
	const char *execfn;		// AT_EXECFN
	const uint8_t *random;		// 16 bytes for AT_RANDOM
	uint64_t aux[INITSTACK_MAX_AUX][2];	// entries besides AT_RANDOM, AT_EXECFN, AT_NULL
	unsigned auxc;
};

// What the auxiliary vector tells a program about the machine and its credentials.
struct initstack_facts {
	uint64_t hwcap, hwcap2;
	uint64_t vdso;		// AT_SYSINFO_EHDR, the vDSO's ELF header; 0: none (no entry)
	uint32_t uid, euid, gid, egid;
};

// Fills in's auxiliary vector as Linux fills a static program's (all but AT_RANDOM and
// AT_EXECFN, which initstack_build adds).
void initstack_auxv(struct initstack *in, const struct elf_image *image,
		    const struct initstack_facts *facts);

// Builds the stack in buf, whose end is user address top (16-byte aligned). Returns the
// initial sp, or 0 when it does not fit in size bytes.
uint64_t initstack_build(uint8_t *buf, size_t size, uint64_t top, const struct initstack *in);
