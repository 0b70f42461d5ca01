#include <string.h>
#include <kernel/cmdline.h>

bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size)
{
	size_t key_length = strlen(key);
	for (const char *word = cmdline; *word;) {
		while (*word == ' ')
			word++;
		size_t length = 0;
		while (word[length] && word[length] != ' ')
			length++;
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
		word += length;
	}
	return false;
}
