#include <stdbool.h>
#include <string.h>
#include <xinim/initstack.h>
#include <xinim/limits.h>

// Copies s to the string area at *at (a user address, advancing) and returns where it went.
static uint64_t put_string(uint8_t *buf, uint64_t base, uint64_t *at, const char *s)
{
	size_t n = strlen(s) + 1;
	uint64_t where = *at;
	memcpy(buf + (where - base), s, n);
	*at += n;
	return where;
}

static size_t strings_size(const char *const *list, int count)
{
	size_t n = 0;
	for (int i = 0; i < count; i++)
		n += strlen(list[i]) + 1;
	return n;
}

uint64_t initstack_build(uint8_t *buf, size_t size, uint64_t top, const struct initstack *in)
{
	uint64_t base = top - size;
	size_t strings = 16 + strlen(in->execfn) + 1 + strings_size(in->argv, in->argc) +
			 strings_size(in->envp, in->envc);
	size_t words = 1 + (size_t)in->argc + 1 + (size_t)in->envc + 1 + 2 * (in->auxc + 3);
	if (in->argc < 0 || in->envc < 0 || in->auxc > INITSTACK_MAX_AUX ||
	    strings + words * 8 + 16 > size)
		return 0;
	uint64_t at = top - strings;
	uint64_t sp = (at - words * 8) & ~(uint64_t)15;
	uint64_t *v = (uint64_t *)(buf + (sp - base));

	uint64_t random = at;
	memcpy(buf + (at - base), in->random, 16);
	at += 16;
	uint64_t execfn = put_string(buf, base, &at, in->execfn);
	*v++ = (uint64_t)in->argc;
	for (int i = 0; i < in->argc; i++)
		*v++ = put_string(buf, base, &at, in->argv[i]);
	*v++ = 0;
	for (int i = 0; i < in->envc; i++)
		*v++ = put_string(buf, base, &at, in->envp[i]);
	*v++ = 0;
	for (unsigned i = 0; i < in->auxc; i++) {
		*v++ = in->aux[i][0];
		*v++ = in->aux[i][1];
	}
	*v++ = AT_RANDOM;
	*v++ = random;
	*v++ = AT_EXECFN;
	*v++ = execfn;
	*v++ = AT_NULL;
	*v++ = 0;
	return sp;
}

void initstack_auxv(struct initstack *in, const struct elf_image *image,
		    const struct initstack_facts *facts)
{
	bool secure = facts->uid != facts->euid || facts->gid != facts->egid;
	const uint64_t aux[][2] = {
		{ AT_PHDR, image->phdr_vaddr }, { AT_PHENT, ELF_PHDR_BYTES },
		{ AT_PHNUM, image->phnum }, { AT_PAGESZ, XINIM_PAGE_SIZE }, { AT_BASE, 0 },
		{ AT_FLAGS, 0 }, { AT_ENTRY, image->entry }, { AT_UID, facts->uid },
		{ AT_EUID, facts->euid }, { AT_GID, facts->gid }, { AT_EGID, facts->egid },
		{ AT_HWCAP, facts->hwcap }, { AT_HWCAP2, facts->hwcap2 },
		{ AT_CLKTCK, XINIM_USER_HZ }, { AT_SECURE, secure },
	};
	_Static_assert(sizeof(aux) / sizeof(aux[0]) < INITSTACK_MAX_AUX, "auxv fits");
	in->auxc = sizeof(aux) / sizeof(aux[0]);
	memcpy(in->aux, aux, sizeof(aux));
	if (facts->vdso) {
		in->aux[in->auxc][0] = AT_SYSINFO_EHDR;
		in->aux[in->auxc++][1] = facts->vdso;
	}
}
