/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `vaccel profile show` prints a profile that parses back to the same
 * profile: print -> parse -> print is a fixed point, over generated
 * profiles whose names, keys and values use every character YAML treats
 * specially. Built with src/profile.c, whose functions are private.
 */
#include "unit.h"
#include "internal.h"

static uint64_t rng = 88172645463325252ull;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random string, then `suffix`, as a YAML double-quoted scalar. */
static void put_random_with(FILE *f, const char *suffix)
{
	/* YAML double-quoted text: escapes are YAML's. */
	static const char *const words[] = {
		"true", "null", "~", "yes", "1", "0x10", "", " x", "x ", "- a", "#c", "a: b",
		"\\\"q\\\"", "'s'", "[1]", "{a: 1}", "*x", "&y", "!!str", "%x", "@x", "`x", "|", ">",
		"...", "---", "a\\nb", "tab\\there", "\\u00e9", "\\x01", "${VACCEL_MODELS}/m",
		"unix:///run/a.sock", "a:", "-", "?",
	};
	static const char *const chars[] = {
		"a", "Z", "0", " ", "\\t", ":", "#", "-", "?", "*", "&", "!", "|", ">", "%", "@",
		"`", "'", "\\\"", "\\\\", "{", "}", "[", "]", ",", "\\u00e9", "\\n", "~", "/", ".",
		"\\x7f", "\\r",
	};
	fputc('"', f);
	if (pick(2)) {
		fputs(words[pick(sizeof(words) / sizeof(words[0]))], f);
	} else {
		for (unsigned i = pick(9); i > 0; i--)
			fputs(chars[pick(sizeof(chars) / sizeof(chars[0]))], f);
	}
	fprintf(f, "%s\"", suffix);
}

static void put_random(FILE *f)
{
	put_random_with(f, "");
}

static char *random_profile(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("version: 1\n", f);
	if (!pick(3))
		fputs("log-file: \"/tmp/x\"\n", f);
	if (!pick(3)) {
		fputs("agent:\n  listen: [", f);
		for (unsigned i = pick(3); i > 0; i--) {
			put_random(f);
			fputs(i > 1 ? ", " : "", f);
		}
		fputs("]\n  socket-mode: ", f);
		put_random(f);
		fputc('\n', f);
	}
	fputs("plugins:\n", f);
	for (unsigned p = pick(3) + 1; p > 0; p--) {
		static const char *const names[] = { "noop", "exec", "x y", "a:b", "#p", "-", "é" };
		fprintf(f, "  - name: \"%s\"\n", names[pick(7)]);
		if (!pick(2)) {
			fputs("    path: \"p", f);
			fputs(pick(2) ? "#1\"\n" : ": q\"\n", f);
		}
		if (!pick(3))
			fputs("    optional: true\n", f);
		if (!pick(3))
			fputs("    ops: [noop, blas_sgemm]\n", f);
		if (pick(3)) {
			fputs("    options:\n", f);
			for (unsigned k = pick(3) + 1; k > 0; k--) {
				char n[8];
				snprintf(n, sizeof(n), "%u", k); /* keys differ: never "given twice" */
				fputs("      ", f);
				put_random_with(f, n);
				fputs(": ", f);
				if (pick(3)) {
					put_random(f);
				} else {
					fputc('[', f);
					for (unsigned i = pick(4); i > 0; i--) {
						put_random(f);
						fputs(i > 1 ? ", " : "", f);
					}
					fputc(']', f);
				}
				fputc('\n', f);
			}
		}
	}
	fclose(f);
	return text;
}

/* Printed without its first line (the source, which differs by design). */
static char *print(const char *text, const char *source)
{
	struct vaccel_profile *p;
	char err[512];
	int ret = profile_parse_string(text, source, &p, err, sizeof(err));
	ck_assert_msg(ret == 0, "%s\nparsing:\n%s", err, text);
	char *y = profile_to_yaml(p);
	profile_free(p);
	char *body = strdup(strchr(y, '\n') + 1);
	free(y);
	return body;
}

START_TEST(print_parse_print_is_a_fixed_point)
{
	for (int i = 0; i < 500; i++) {
		char *text = random_profile(), err[512];
		struct vaccel_profile *p;
		/* Generated texts are valid YAML; a few are refused profiles. */
		if (profile_parse_string(text, "generated", &p, err, sizeof(err))) {
			free(text);
			continue;
		}
		profile_free(p);
		char *once = print(text, "generated");
		char *twice = print(once, "printed");
		ck_assert_msg(!strcmp(once, twice), "input:\n%s\nprinted:\n%s\nreprinted:\n%s",
			      text, once, twice);
		free(text);
		free(once);
		free(twice);
	}
}
END_TEST

/* What the printer must quote, and what it may leave plain. */
START_TEST(quoting)
{
	char *y = print("plugins:\n  - name: noop\n    options:\n"
			"      \"a: b\": \"#x\"\n      k: [\"\", \"- y\", \"line\\nbreak\", plain/path.so]\n",
			"t");
	ck_assert_msg(strstr(y, "\"a: b\": \"#x\"") && strstr(y, "- \"\"") &&
		      strstr(y, "- \"- y\"") && strstr(y, "- \"line\\nbreak\"") &&
		      strstr(y, "- plain/path.so"), "%s", y);
	free(y);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("profile-print");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, print_parse_print_is_a_fixed_point);
	tcase_add_test(tc, quoting);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
