#include <string.h>
#include <kernel/cmdline.h>

// The word at *cursor (its length in *length), past the spaces before it; *cursor moves
// past it. NULL at the end of the line.
static const char *next_word(const char **cursor, size_t *length)
{
	const char *word = *cursor;
	while (*word == ' ')
		word++;
	*length = 0;
	while (word[*length] && word[*length] != ' ')
		(*length)++;
	*cursor = word + *length;
	return *length ? word : NULL;
}

bool cmdline_has(const char *cmdline, const char *flag)
{
	size_t flag_length = strlen(flag), length;
	for (const char *word; (word = next_word(&cmdline, &length));)
		if (length == flag_length && strncmp(word, flag, length) == 0)
			return true;
	return false;
}

bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size)
{
	size_t key_length = strlen(key), length;
	for (const char *word; (word = next_word(&cmdline, &length));) {
		if (length > key_length && strncmp(word, key, key_length) == 0 &&
		    word[key_length] == '=') {
			size_t n = length - key_length - 1;
			if (size) {
				n = n < size - 1 ? n : size - 1;
				memcpy(value, word + key_length + 1, n);
				value[n] = '\0';
			}
			return true;
		}
	}
	return false;
}

bool cmdline_is(const char *cmdline, const char *key, const char *value)
{
	char found[16];	// a longer word is cut to 15 bytes, so no short value matches it
	return strlen(value) < sizeof(found) - 1 && cmdline_get(cmdline, key, found, sizeof(found)) &&
	       strcmp(found, value) == 0;
}
