/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_image_classification with an image-name buffer of the size given:
 * prints the status and the name the op returned, and leaves the file
 * alone. Usage: classify-name IMAGE NAME_BYTES (VACCEL_PROFILE chooses).
 */
#include <stdio.h>
#include <stdlib.h>
#include <vaccel.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	static unsigned char img[8 << 20];
	size_t len = f ? fread(img, 1, sizeof(img), f) : 0;
	if (f)
		fclose(f);
	size_t name_len = (size_t)atol(argv[2]);
	unsigned char text[4096], *name = calloc(1, name_len + 1);
	struct vaccel_session s;
	if (!len || !name || vaccel_session_init(&s, 0))
		return 2;
	int ret = vaccel_image_classification(&s, img, text, name_len ? name : NULL, len,
					      sizeof(text), name_len);
	printf("status %d\nname %s\n", ret, name_len ? (char *)name : "");
	vaccel_session_release(&s);
	free(name);
	return ret ? 1 : 0;
}
