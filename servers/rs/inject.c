// The boot option inject=SERVER:KIND:N,... (crash, midway, hang, poison; midway:N:K
// crashes at the request's Kth change, the 3rd unless said; docs/resurrection.md): RS asks
// each named server's loop to crash or hang at its Nth request from now. Once: the
// restarted server runs clean.
#include <stdlib.h>
#include <string.h>
#include <libipc/ipc.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "rs.h"

static const struct {
	const char *name;
	uint32_t kind;
} kinds[] = {
	{ "crash", XINIM_INJECT_CRASH },
	{ "hang", XINIM_INJECT_HANG },
	{ "midway", XINIM_INJECT_MIDWAY },
	{ "poison", XINIM_INJECT_POISON },
};

// One SERVER:KIND:N of the option, sent; false if it is not one.
static bool inject_one(char *what)
{
	char *kind = strchr(what, ':'), *at = kind ? strchr(kind + 1, ':') : NULL;
	if (!at)
		return false;
	*kind++ = '\0';
	*at++ = '\0';
	char *changes = strchr(at, ':');
	if (changes)
		*changes++ = '\0';
	const struct supervised *s = rs_record_named(what);
	if (s && rs_index(s) >= RS_SUPERVISED)
		s = NULL;	// RS answers no injected faults
	struct xinim_rs_inject inject = { .at = (uint32_t)strtoul(at, NULL, 10),
					  .changes = changes ? (uint32_t)strtoul(changes, NULL, 10) : 0 };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i].name) == 0)
			inject.kind = kinds[i].kind;
	if (!s || !inject.kind || !inject.at)
		return false;
	struct xinim_msg msg = { .header = { .type = XINIM_RS_INJECT, .length = sizeof(inject) } };
	memcpy(msg.payload, &inject, sizeof(inject));
	long err = ipc_call(s->endpoint, &msg, XINIM_WAIT_FOREVER);
	klog(LOGLEVEL_INFO, "rs: inject %s into %s at its request %u: %s\n", kind, rs_names[rs_index(s)].name,
	      inject.at, err ? "refused" : "armed");
	return true;
}

void rs_inject_from_boot_args(void)
{
	static char line[1024];
	xinim_kcall(KCALL_BOOT_ARGS, (long)line, sizeof(line));
	for (char *word = strtok(line, " "); word; word = strtok(NULL, " ")) {
		if (strncmp(word, "inject=", 7) != 0)
			continue;
		char *save, *list = word + 7;
		for (char *what = strtok_r(list, ",", &save); what; what = strtok_r(NULL, ",", &save))
			if (!inject_one(what))
				klog(LOGLEVEL_WARNING, "rs: inject=%s: not SERVER:crash|midway|hang|poison:N[:K]\n", what);
	}
}
