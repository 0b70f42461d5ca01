// execve: a program read through VFS (PM's own open and pread), checked (<xinim/elf.h>,
// the same code as the kernel's boot loader), its address space built by MM, its Linux
// initial stack written, and the process started there. PID 1 starts the same way.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/elf.h>
#include <xinim/initstack.h>
#include <xinim/runtime.h>
#include <xinim/vdso.h>
#include "pm.h"

#define HEAD_BYTES 4096

// The initial stack is built here whole: the arguments (ARG_BYTES_MAX with their
// pointers), AT_EXECFN's copy of the path, the auxiliary vector and AT_RANDOM's bytes.
#define STACK_IMAGE_MAX (ARG_BYTES_MAX + 4096 + 8192)

static char chunk[XINIM_COPY_MAX] __attribute__((aligned(16)));
static uint8_t stack_image[STACK_IMAGE_MAX] __attribute__((aligned(16)));

// One call to MM about target: its result (0 or -errno).
static long mm(enum xinim_mm_msg type, xinim_endpoint_t target, uint64_t va, uint64_t length,
	       unsigned prot, const void *source)
{
	struct xinim_mm_exec exec = { .target = target, .prot = prot, .va = va, .length = length,
				      .source = (uint64_t)source };
	return server_call(XINIM_PID_MM, (int32_t)type, &exec, sizeof(exec));
}

static uint64_t image_end(const struct elf_image *image)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < image->count; i++) {
		uint64_t e = image->segments[i].vaddr + image->segments[i].memsz;
		end = e > end ? e : end;
	}
	return end;
}

int program_open(int at, const char *path, bool nofollow, struct program *p)
{
	struct stat st;
	p->fd = *path ? openat(at, path, O_RDONLY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0))
		      : fcntl(at, F_DUPFD_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	int err = fstat(p->fd, &st) ? -errno : !S_ISREG(st.st_mode) || !(st.st_mode & 0111) ? -EACCES : 0;
	ssize_t got = err ? 0 : pread(p->fd, chunk, HEAD_BYTES, 0);
	if (!err && got < 0)
		err = -errno;
	if (!err)
		err = elf_parse(chunk, (size_t)got, (uint64_t)st.st_size, XINIM_USER_TOP - STACK_SIZE,
				&p->image);
	// Linux runs a program linked above 4 GiB; MM has no room for its heap there yet
	// (XINIM_MM_BRK_LIMIT), so it is refused here, before the point of no return, with
	// the errno of a program whose memory cannot be laid out.
	if (!err && image_end(&p->image) >= XINIM_MM_BRK_LIMIT)
		err = -ENOMEM;
	if (err)
		program_close(p);
	return err;
}

void program_close(struct program *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

// Copies the file's bytes [offset, offset + n) to va in target, a chunk at a time.
static long segment_write(const struct program *p, xinim_endpoint_t target, uint64_t va,
			  uint64_t offset, uint64_t n)
{
	for (uint64_t done = 0; done < n;) {
		size_t part = n - done < sizeof(chunk) ? (size_t)(n - done) : sizeof(chunk);
		ssize_t got = pread(p->fd, chunk, part, (off_t)(offset + done));
		if (got != (ssize_t)part)
			return got < 0 ? -errno : -EIO;
		long err = mm(XINIM_MM_EXEC_WRITE, target, va + done, part, 0, chunk);
		if (err)
			return err;
		done += part;
	}
	return 0;
}

// The initial stack in stack_image, before anything changes: *sp gets its top.
// 0, or -EIO (no random bytes), -E2BIG.
static long stack_build(const struct program *p, const struct arguments *args, uint64_t *sp)
{
	uint8_t random[16];
	*sp = 0;
	if (xinim_kcall(KCALL_RANDOM, (long)random, sizeof(random)) != sizeof(random))
		return -EIO;
	struct initstack stack = {
		.argc = args->argc, .argv = args->argv, .envc = args->envc, .envp = args->envp,
		.execfn = args->path, .random = random,
	};
	// The kernel told PM what the machine can do when it started PM; every program PM
	// starts is told the same.
	struct initstack_facts facts = { .hwcap = getauxval(AT_HWCAP), .hwcap2 = getauxval(AT_HWCAP2),
					 .vdso = XINIM_VDSO };
	initstack_auxv(&stack, &p->image, &facts);
	*sp = initstack_build(stack_image, sizeof(stack_image), XINIM_USER_TOP, &stack);
	if (*sp && XINIM_USER_TOP - *sp > args->stack_size)
		*sp = 0;	// it would not fit RLIMIT_STACK
	return *sp ? 0 : -E2BIG;
}

// The stack region, size bytes under XINIM_USER_TOP, and the stack built there from sp up.
static long stack_write(xinim_endpoint_t target, uint64_t sp, uint64_t size)
{
	long err = mm(XINIM_MM_EXEC_REGION, target, XINIM_USER_TOP - size, size,
		      PROT_READ | PROT_WRITE, NULL);
	const uint8_t *from = stack_image + sizeof(stack_image) - (XINIM_USER_TOP - sp);
	for (uint64_t at = sp; at < XINIM_USER_TOP && !err;) {
		uint64_t part = XINIM_USER_TOP - at < XINIM_COPY_MAX ? XINIM_USER_TOP - at
								      : XINIM_COPY_MAX;
		err = mm(XINIM_MM_EXEC_WRITE, target, at, part, 0, from);
		at += part, from += part;
	}
	return err;
}

// The vDSO (the sigreturn trampoline its second page) and MM's clock page under it
// (docs/vdso.md).
static long vdso_write(xinim_endpoint_t target)
{
	size_t size;
	const void *image = vdso_bytes(&size);
	long err = mm(XINIM_MM_EXEC_REGION, target, XINIM_VDSO, XINIM_VDSO_PAGES * XINIM_PAGE_SIZE,
		      PROT_READ | PROT_EXEC, NULL);
	if (!err)
		err = mm(XINIM_MM_EXEC_WRITE, target, XINIM_VDSO, size, 0, image);
	return err ? err : mm(XINIM_MM_EXEC_VVAR, target, 0, 0, 0, NULL);
}

long program_load(const struct program *p, xinim_endpoint_t target,
		  const struct arguments *args, uint64_t *sp)
{
	long err = stack_build(p, args, sp);
	if (err)
		return err;	// before MM_EXEC_BEGIN: nothing changed
	err = mm(XINIM_MM_EXEC_BEGIN, target, 0, 0, 0, NULL);
	for (unsigned i = 0; i < p->image.count && !err; i++) {
		const struct elf_segment *s = &p->image.segments[i];
		err = mm(XINIM_MM_EXEC_REGION, target, s->vaddr, s->memsz, s->prot, NULL);
		if (!err)
			err = segment_write(p, target, s->vaddr, s->offset, s->filesz);
	}
	if (!err)
		err = mm(XINIM_MM_EXEC_BRK, target, image_end(&p->image), 0, 0, NULL);
	if (!err)
		err = vdso_write(target);
	return err ? err : stack_write(target, *sp, args->stack_size);
}
