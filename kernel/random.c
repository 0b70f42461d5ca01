// A ChaCha20 keystream generator with fast key erasure: every request draws a new key
// along with its bytes, so a later compromise of the state does not reveal what was
// handed out before. Seeded from the boot loader's rng-seed and counter jitter.
#include <errno.h>
#include <string.h>
#include <sodium/crypto_stream_chacha20.h>
#include <sodium/utils.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/panic.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>

#define KEY 32
#define JITTER_SAMPLES 64

static uint8_t key[KEY];
static uint64_t nonce;
static struct spinlock random_lock;

// key ^= material, then a fresh key from the keystream (under the lock).
static void mix(const uint8_t *material, size_t n)
{
	for (size_t i = 0; i < n; i++)
		key[i % KEY] ^= material[i];
	uint8_t next[KEY];
	fpsimd_kernel_begin();
	crypto_stream_chacha20((uint8_t *)next, KEY, (const uint8_t *)&nonce, key);
	fpsimd_kernel_end();
	nonce++;
	memcpy(key, next, KEY);
}

// The low bits of the counter around work of varying length; worth little under
// emulation, which is why the rng-seed comes first.
static void mix_jitter(void)
{
	uint64_t samples[JITTER_SAMPLES];
	for (unsigned i = 0; i < JITTER_SAMPLES; i++) {
		volatile unsigned spin = (unsigned)(counter_now() & 63);
		while (spin)
			spin--;
		samples[i] = counter_now();
	}
	mix((const uint8_t *)samples, sizeof(samples));
}

void random_init(const uint8_t *seed, size_t seed_size)
{
	spin_lock(&random_lock);
	mix(seed, seed_size);
	mix_jitter();
	spin_unlock(&random_lock);
	if (seed_size < KEY)
		klog(LOGLEVEL_INFO, "random: rng-seed of %zu bytes; seeded mostly from timer jitter", seed_size);
}

void random_bytes(void *out, size_t n)
{
	uint8_t stream[KEY + RANDOM_MAX];
	if (n > RANDOM_MAX)
		panic("random_bytes: %zu bytes asked for", n);
	spin_lock(&random_lock);
	fpsimd_kernel_begin();
	crypto_stream_chacha20(stream, KEY + n, (const uint8_t *)&nonce, key);
	fpsimd_kernel_end();
	nonce++;
	memcpy(key, stream, KEY);
	spin_unlock(&random_lock);
	memcpy(out, stream + KEY, n);
	memset(stream, 0, sizeof(stream));
}

long random_kcall(struct trapframe *frame)
{
	uint8_t bytes[RANDOM_MAX];
	uint64_t here = frame->x[0], n = frame->x[1];
	if (n > RANDOM_MAX)
		return -EINVAL;
	random_bytes(bytes, n);
	long err = copy_to_user(here, bytes, n) ? -EFAULT : (long)n;
	sodium_memzero(bytes, sizeof(bytes));
	return err;
}
