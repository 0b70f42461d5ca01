// The kernel runs libsodium, which uses the SIMD registers, while this program's values
// are live in them: making a channel key (ChaCha20 in the kernel's CSPRNG) must leave
// all 32 vector registers as they were.
#include <stdbool.h>
#include <string.h>
#include <libipc/ipc.h>
#include "ipc_test.h"
#include <xinim/runtime.h>

#define LOAD(a, b) "ldp q" #a ", q" #b ", [%[in], #" #a "*16]\n\t"
#define STORE(a, b) "stp q" #a ", q" #b ", [%[out], #" #a "*16]\n\t"
#define ALL(op) op(0, 1) op(2, 3) op(4, 5) op(6, 7) op(8, 9) op(10, 11) op(12, 13) op(14, 15) \
	op(16, 17) op(18, 19) op(20, 21) op(22, 23) op(24, 25) op(26, 27) op(28, 29) op(30, 31)

static uint8_t before[512] __attribute__((aligned(16))), after[512] __attribute__((aligned(16)));
static struct xinim_channel key;

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < sizeof(before); i++)
		before[i] = (uint8_t)(i * 7 + 3);
	register long x0 __asm__("x0") = test_server();
	register long x1 __asm__("x1") = XINIM_TO_PEER;
	register long x2 __asm__("x2") = (long)&key;
	register long x8 __asm__("x8") = KCALL_IPC_CHANNEL;
	__asm__ volatile(ALL(LOAD) "svc #1\n\t" ALL(STORE)
			 : "+r"(x0), "+r"(x1)
			 : "r"(x2), "r"(x8), [in] "r"(before), [out] "r"(after)
			 : "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
			   "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
			   "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	unsigned kept = 0;
	for (unsigned r = 0; r < 32; r++)
		kept += memcmp(before + 16 * r, after + 16 * r, 16) == 0;
	uint8_t zero[sizeof(key.key)] = { 0 };
	bool made = x0 == 0 && memcmp(key.key, zero, sizeof(zero)) != 0;
	print("ipc_fpguard: channel %ld, key %s, %u of 32 vector registers kept\n", x0,
	      made ? "made" : "missing", kept);
	return !(made && kept == 32);
}
