/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's way of choosing a model: a VACCEL_RESOURCE_MODEL registered to
 * the session replaces the profile's model for the image ops. Usage:
 * model-override IMAGE MODEL (VACCEL_PROFILE names a vision profile, native
 * or over a transport). Prints TAP-like lines; exit 0 when all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>

static int count, failures;

static void check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++count, what);
	failures += !ok;
}

static int classify(struct vaccel_session *s, const void *img, size_t len, char *text)
{
	unsigned char name[512] = "";
	int ret = vaccel_image_classification(s, img, (unsigned char *)text, name, len, 4096,
					      sizeof(name));
	if (!ret && name[0])
		remove((char *)name);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	static unsigned char img[8 << 20];
	size_t len = fread(img, 1, sizeof(img), f);
	fclose(f);
	char text[4096];
	struct vaccel_session s;
	struct vaccel_resource broken, real;
	check(vaccel_session_init(&s, 0) == 0, "session");
	check(classify(&s, img, len, text) == 0 && !strncmp(text, "Egyptian cat", 12),
	      "the profile's model: Egyptian cat");
	static const char junk[] = "this is not a model";
	check(vaccel_resource_init_from_buf(&broken, junk, sizeof(junk), VACCEL_RESOURCE_MODEL,
					    "broken.onnx", false) == 0 &&
	      vaccel_resource_register(&broken, &s) == 0, "a broken model registered");
	check(classify(&s, img, len, text) != 0, "the registered model is the one used: it fails");
	check(vaccel_resource_unregister(&broken, &s) == 0 && classify(&s, img, len, text) == 0 &&
	      !strncmp(text, "Egyptian cat", 12), "unregistered: the profile's model again");
	check(vaccel_resource_init(&real, argv[2], VACCEL_RESOURCE_MODEL) == 0 &&
	      vaccel_resource_register(&real, &s) == 0 && classify(&s, img, len, text) == 0 &&
	      !strncmp(text, "Egyptian cat", 12), "a good registered model: Egyptian cat");
	vaccel_resource_unregister(&real, &s);
	vaccel_resource_release(&real);
	vaccel_resource_release(&broken);
	check(vaccel_session_release(&s) == 0, "released");
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
