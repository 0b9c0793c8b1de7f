/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's resources and blobs: made from files, buffers, blobs, directories. */
#include <sys/stat.h>
#include "../unit/unit.h"

static const char *noop_profile = "version: 1\nplugins:\n  - name: noop\n";

static bool exists(const char *path)
{
	struct stat st;
	return !stat(path, &st);
}

START_TEST(blob_file)
{
	char *f = unit_temp_file("file bytes", ".bin");
	struct vaccel_blob b, *h = NULL;
	ck_assert_int_eq(vaccel_blob_init(&b, f), 0);
	ck_assert_int_eq(b.type, VACCEL_BLOB_FILE);
	ck_assert_str_eq(b.path, f);
	ck_assert_str_eq(b.name, strrchr(f, '/') + 1);
	ck_assert(!b.path_owned && !b.data_owned);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.size, 0);
	ck_assert(vaccel_blob_valid(&b));
	ck_assert_str_eq(vaccel_blob_path(&b), f);
	size_t size = 0;
	uint8_t *data = vaccel_blob_data(&b, &size);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(size, 10);
	ck_assert_mem_eq(data, "file bytes", 10);
	ck_assert_int_eq(b.type, VACCEL_BLOB_MAPPED); /* read: mapped */
	ck_assert_int_eq(vaccel_blob_read(&b), 0);    /* once */
	ck_assert_str_eq(vaccel_blob_path(&b), f);
	/* persisting a blob that has a file is refused */
	ck_assert_int_eq(vaccel_blob_persist(&b, "/tmp", "x", false), VACCEL_EEXIST);
	ck_assert_int_eq(vaccel_blob_release(&b), 0);
	ck_assert(exists(f)); /* not the blob's file */
	ck_assert_int_eq(b.type, VACCEL_BLOB_MAX);
	ck_assert(!vaccel_blob_valid(&b));
	ck_assert_int_eq(vaccel_blob_release(&b), VACCEL_EINVAL);

	ck_assert_int_eq(vaccel_blob_new(&h, f), 0);
	ck_assert_int_eq(vaccel_blob_delete(h), 0);
	ck_assert_int_eq(vaccel_blob_init(&b, "/nonexistent/x"), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_init(&b, "/tmp"), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_init(NULL, f), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_new(NULL, f), VACCEL_EINVAL);
	ck_assert_ptr_null(vaccel_blob_data(NULL, &size));
	ck_assert_ptr_null(vaccel_blob_path(NULL));
	ck_assert(!vaccel_blob_valid(NULL));
	unlink(f);
	free(f);
}
END_TEST

START_TEST(blob_buffer)
{
	uint8_t buf[4] = { 1, 2, 3, 4 };
	struct vaccel_blob b, *h;
	/* not owned: the caller's memory */
	ck_assert_int_eq(vaccel_blob_init_from_buf(&b, buf, 4, false, "b.bin", NULL, false), 0);
	ck_assert_int_eq(b.type, VACCEL_BLOB_BUFFER);
	ck_assert_ptr_eq(b.data, buf);
	ck_assert(!b.data_owned);
	ck_assert_str_eq(b.name, "b.bin");
	ck_assert_ptr_null(b.path);
	ck_assert_ptr_null(vaccel_blob_path(&b));
	ck_assert(vaccel_blob_valid(&b));
	size_t size;
	ck_assert_ptr_eq(vaccel_blob_data(&b, &size), buf);
	ck_assert_uint_eq(size, 4);
	ck_assert_int_eq(vaccel_blob_read(&b), 0);
	ck_assert_int_eq(vaccel_blob_release(&b), 0);
	/* owned: a copy */
	ck_assert_int_eq(vaccel_blob_init_from_buf(&b, buf, 4, true, "b.bin", NULL, false), 0);
	ck_assert_ptr_ne(b.data, buf);
	ck_assert(b.data_owned);
	ck_assert_mem_eq(b.data, buf, 4);
	/* persisted: written, mapped, owned; removed at release */
	char dir[] = "/tmp/vaccel-compat-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(vaccel_blob_persist(&b, "/nonexistent", "p.bin", false), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_blob_persist(&b, dir, NULL, false), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_persist(&b, dir, "p.bin", false), 0);
	ck_assert_int_eq(b.type, VACCEL_BLOB_MAPPED);
	ck_assert(b.path_owned && b.data_owned);
	char want[64];
	snprintf(want, sizeof(want), "%s/p.bin", dir);
	ck_assert_str_eq(b.path, want);
	ck_assert_str_eq(b.name, "p.bin");
	ck_assert_mem_eq(b.data, buf, 4);
	ck_assert(exists(want));
	/* a name taken: a unique one beside it */
	ck_assert_int_eq(vaccel_blob_from_buf(&h, buf, 4, false, "p.bin", dir, false), 0);
	ck_assert_str_ne(h->path, want);
	ck_assert_int_eq(strncmp(h->name, "p.bin", 5), 0);
	ck_assert_int_eq(h->type, VACCEL_BLOB_MAPPED);
	char other[64];
	snprintf(other, sizeof(other), "%s", h->path);
	/* randomize: never the plain name */
	struct vaccel_blob r;
	ck_assert_int_eq(vaccel_blob_init_from_buf(&r, buf, 4, true, "r.bin", dir, true), 0);
	ck_assert_int_ne(strcmp(r.name, "r.bin"), 0);
	ck_assert_int_eq(vaccel_blob_release(&r), 0);
	ck_assert_int_eq(vaccel_blob_delete(h), 0);
	ck_assert(!exists(other));
	ck_assert_int_eq(vaccel_blob_release(&b), 0);
	ck_assert(!exists(want));
	ck_assert_int_eq(rmdir(dir), 0);
	/* bad input */
	ck_assert_int_eq(vaccel_blob_init_from_buf(&b, buf, 0, true, "x", NULL, false), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_init_from_buf(&b, NULL, 4, true, "x", NULL, false), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_init_from_buf(&b, buf, 4, true, NULL, NULL, false), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_blob_from_buf(NULL, buf, 4, true, "x", NULL, false), VACCEL_EINVAL);
	char name[32];
	ck_assert_str_eq(vaccel_blob_type_to_str(VACCEL_BLOB_MAPPED), "VACCEL_BLOB_MAPPED");
	ck_assert_str_eq(vaccel_blob_type_name(VACCEL_BLOB_BUFFER, name, sizeof(name)), "buffer");
	ck_assert_str_eq(vaccel_path_type_to_base_str(VACCEL_PATH_LOCAL_DIR), "LOCAL_DIR");
}
END_TEST

START_TEST(resource_forms)
{
	ck_assert_int_eq(unit_profile(noop_profile), 0);
	char *f1 = unit_temp_file("first", ".bin"), *f2 = unit_temp_file("second", ".bin");
	const void *data;
	size_t size;

	/* several files: the first is the resource's path and bytes */
	struct vaccel_resource multi, *heap;
	const char *paths[] = { f1, f2 };
	ck_assert_int_eq(vaccel_resource_init_multi(&multi, paths, 2, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_gt(multi.id, 0);
	ck_assert_str_eq(vaccel_resource_path(&multi), f1);
	ck_assert_int_eq(vaccel_resource_bytes(&multi, &data, &size), 0);
	ck_assert_uint_eq(size, 5);
	const char *bad[] = { f1, "/nonexistent/x" }, *with_dir[] = { f1, "/tmp" },
		   *url[] = { "https://example.com/model.onnx" }, *null[] = { f1, NULL };
	struct vaccel_resource r;
	ck_assert_int_eq(vaccel_resource_init_multi(&r, bad, 2, VACCEL_RESOURCE_MODEL), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_init_multi(&r, with_dir, 2, VACCEL_RESOURCE_MODEL),
			 VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_init_multi(&r, url, 1, VACCEL_RESOURCE_MODEL), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_resource_init_multi(&r, null, 2, VACCEL_RESOURCE_MODEL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_init_multi(&r, paths, 0, VACCEL_RESOURCE_MODEL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_multi_new(&heap, paths, 2, VACCEL_RESOURCE_DATA), 0);
	ck_assert_int_eq(vaccel_resource_delete(heap), 0);

	/* a directory: vaccel_resource_directory */
	char dir[] = "/tmp/vaccel-compat-XXXXXX", out[64], small[4], *alloc = NULL;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct vaccel_resource d;
	ck_assert_int_eq(vaccel_resource_init(&d, dir, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_directory(&d, out, sizeof(out), NULL), 0);
	ck_assert_str_eq(out, dir);
	ck_assert_int_eq(vaccel_resource_directory(&d, NULL, 0, &alloc), 0);
	ck_assert_str_eq(alloc, dir);
	free(alloc);
	ck_assert_int_eq(vaccel_resource_directory(&d, small, sizeof(small), NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_directory(&d, NULL, 0, NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_directory(&multi, out, sizeof(out), NULL), VACCEL_ENOTSUP);
	ck_assert_str_eq(vaccel_resource_path(&d), dir);
	ck_assert_int_eq(vaccel_resource_bytes(&d, &data, &size), VACCEL_EINVAL);

	/* from a buffer with no name: "file", suffixed */
	struct vaccel_resource nameless;
	ck_assert_int_eq(vaccel_resource_init_from_buf(&nameless, "abc", 3, VACCEL_RESOURCE_DATA,
						       NULL, false), 0);
	const char *p = vaccel_resource_path(&nameless);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(strncmp(strrchr(p, '/') + 1, "file", 4), 0);
	ck_assert(exists(p));
	char kept[256];
	snprintf(kept, sizeof(kept), "%s", p);
	ck_assert_int_eq(vaccel_resource_release(&nameless), 0);
	ck_assert(!exists(kept));

	/* from blobs: a file blob stays where it is, a buffer is copied, a
	 * mapped blob is copied into a file of the resource's */
	uint8_t buf[3] = { 7, 8, 9 };
	struct vaccel_blob fb, bb, mb;
	char bdir[] = "/tmp/vaccel-compat-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(bdir));
	ck_assert_int_eq(vaccel_blob_init(&fb, f2), 0);
	ck_assert_int_eq(vaccel_blob_init_from_buf(&bb, buf, 3, false, "buf.bin", NULL, false), 0);
	ck_assert_int_eq(vaccel_blob_init_from_buf(&mb, buf, 3, true, "map.bin", bdir, false), 0);
	const struct vaccel_blob *one_file[] = { &fb }, *one_buf[] = { &bb }, *one_map[] = { &mb },
				 *three[] = { &fb, &bb, &mb };
	struct vaccel_resource rf, rb, rm, r3;
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&rf, one_file, 1, VACCEL_RESOURCE_DATA), 0);
	ck_assert_str_eq(vaccel_resource_path(&rf), f2);
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&rb, one_buf, 1, VACCEL_RESOURCE_DATA), 0);
	ck_assert_ptr_null(vaccel_resource_path(&rb));
	buf[0] = 0; /* the resource has its own copy */
	ck_assert_int_eq(vaccel_resource_bytes(&rb, &data, &size), 0);
	ck_assert_uint_eq(size, 3);
	ck_assert_int_eq(((const uint8_t *)data)[0], 7);
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&rm, one_map, 1, VACCEL_RESOURCE_DATA), 0);
	p = vaccel_resource_path(&rm);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_ne(p, mb.path);
	ck_assert_str_eq(strrchr(p, '/') + 1, "map.bin");
	snprintf(kept, sizeof(kept), "%s", p);
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&r3, three, 3, VACCEL_RESOURCE_DATA), 0);
	ck_assert_str_eq(vaccel_resource_path(&r3), f2);
	struct vaccel_blob invalid = { .type = VACCEL_BLOB_MAX };
	const struct vaccel_blob *bad_blobs[] = { &fb, &invalid };
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&r, bad_blobs, 2, VACCEL_RESOURCE_DATA),
			 VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_init_from_blobs(&r, one_file, 0, VACCEL_RESOURCE_DATA),
			 VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_from_blobs(&heap, one_buf, 1, VACCEL_RESOURCE_LIB), 0);
	ck_assert_int_eq(vaccel_resource_delete(heap), 0);

	/* sync: registered buffer resources only; natively a no-op */
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_resource_sync(&rb, &s), VACCEL_EPERM);
	ck_assert_int_eq(vaccel_resource_register(&rb, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&rf, &s), 0);
	ck_assert_int_eq(vaccel_resource_sync(&rb, &s), 0);
	ck_assert_int_eq(vaccel_resource_sync(&rf, &s), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_sync(NULL, &s), VACCEL_EINVAL);

	/* refcount: the sessions it is registered to */
	ck_assert_int_eq(vaccel_resource_refcount(&rb), 1);
	ck_assert_int_eq(vaccel_resource_refcount(&rm), 0);
	ck_assert_int_eq(vaccel_resource_refcount(NULL), -VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_int_eq(vaccel_resource_refcount(&rb), 0);

	struct vaccel_resource *all4[] = { &multi, &d, &rf, &rb, &rm, &r3 };
	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(vaccel_resource_release(all4[i]), 0);
	ck_assert(!exists(kept));
	ck_assert(exists(f2));
	ck_assert_int_eq(vaccel_blob_release(&fb), 0);
	ck_assert_int_eq(vaccel_blob_release(&bb), 0);
	ck_assert_int_eq(vaccel_blob_release(&mb), 0);
	ck_assert_int_eq(rmdir(bdir), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	unlink(f1);
	unlink(f2);
	free(f1);
	free(f2);
}
END_TEST

/*
 * The public fields, as vAccel's plugins read them: the paths given, a blob
 * per file or buffer (a file's path where it is, a buffer's bytes), the
 * rundir of the files the resource writes, plugin_priv left to plugins.
 */
START_TEST(public_fields)
{
	ck_assert_int_eq(unit_profile(noop_profile), 0);
	char *f1 = unit_temp_file("first", ".bin"), *f2 = unit_temp_file("second", ".bin");
	const char *paths[] = { f1, f2 };
	struct vaccel_resource files, mem, written, dir;
	ck_assert_int_eq(vaccel_resource_init_multi(&files, paths, 2, VACCEL_RESOURCE_LIB), 0);
	ck_assert_int_eq(files.type, VACCEL_RESOURCE_LIB);
	ck_assert_int_eq(files.path_type, VACCEL_PATH_LOCAL_FILE);
	ck_assert_uint_eq(files.nr_paths, 2);
	ck_assert_str_eq(files.paths[1], f2);
	ck_assert_uint_eq(files.nr_blobs, 2);
	ck_assert_int_eq(files.blobs[1]->type, VACCEL_BLOB_FILE);
	ck_assert_str_eq(files.blobs[1]->path, f2);
	ck_assert_str_eq(files.blobs[1]->name, strrchr(f2, '/') + 1);
	ck_assert_ptr_null(files.blobs[0]->data); /* read when first needed */
	ck_assert_ptr_null(files.rundir);
	ck_assert_ptr_null(files.plugin_priv);
	ck_assert_int_eq(files.remote_id, 0);
	const void *data;
	size_t size;
	ck_assert_int_eq(vaccel_resource_bytes(&files, &data, &size), 0);
	ck_assert_ptr_eq(files.blobs[0]->data, data);
	ck_assert_uint_eq(files.blobs[0]->size, 5);

	ck_assert_int_eq(vaccel_resource_init_from_buf(&mem, "abc", 3, VACCEL_RESOURCE_DATA, "m",
						       true), 0);
	ck_assert_uint_eq(mem.nr_paths, 0);
	ck_assert_uint_eq(mem.nr_blobs, 1);
	ck_assert_int_eq(mem.blobs[0]->type, VACCEL_BLOB_BUFFER);
	ck_assert_ptr_null(mem.blobs[0]->path);
	ck_assert_uint_eq(mem.blobs[0]->size, 3);
	ck_assert_mem_eq(mem.blobs[0]->data, "abc", 3);
	ck_assert_ptr_null(mem.rundir);

	ck_assert_int_eq(vaccel_resource_init_from_buf(&written, "abc", 3, VACCEL_RESOURCE_DATA,
						       "w.bin", false), 0);
	ck_assert_int_eq(written.blobs[0]->type, VACCEL_BLOB_MAPPED);
	ck_assert_ptr_nonnull(written.rundir);
	char want[512];
	snprintf(want, sizeof(want), "%s/w.bin", written.rundir);
	ck_assert_str_eq(written.blobs[0]->path, want);
	ck_assert(written.blobs[0]->path_owned);
	char rundir[512];
	snprintf(rundir, sizeof(rundir), "%s", written.rundir);

	/* a directory: a blob per file, in subdirectories too, not a link's */
	char d[] = "/tmp/vaccel-compat-XXXXXX", sub[64], in_sub[80], loop[80];
	ck_assert_ptr_nonnull(mkdtemp(d));
	snprintf(sub, sizeof(sub), "%s/sub", d);
	snprintf(in_sub, sizeof(in_sub), "%s/f.bin", sub);
	snprintf(loop, sizeof(loop), "%s/loop", sub);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	FILE *fp = fopen(in_sub, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(symlink(d, loop), 0);
	ck_assert_int_eq(vaccel_resource_init(&dir, d, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(dir.path_type, VACCEL_PATH_LOCAL_DIR);
	ck_assert_str_eq(dir.paths[0], d);
	ck_assert_uint_eq(dir.nr_blobs, 1);
	ck_assert_str_eq(dir.blobs[0]->path, in_sub);
	ck_assert_str_eq(vaccel_resource_path(&dir), d);

	/* refcount: the registrations, as vaccel_resource_refcount says */
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_resource_register(&files, &s), 0);
	ck_assert_uint_eq(files.refcount, 1);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_uint_eq(files.refcount, 0);

	struct vaccel_resource *all[] = { &files, &mem, &written, &dir };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(vaccel_resource_release(all[i]), 0);
		ck_assert_int_eq(all[i]->id, 0);
		ck_assert_ptr_null(all[i]->blobs);
		ck_assert_ptr_null(all[i]->paths);
	}
	ck_assert(!exists(want));
	ck_assert(!exists(rundir));
	ck_assert(exists(f1));
	ck_assert(exists(in_sub));
	ck_assert_int_eq(unlink(loop), 0);
	ck_assert_int_eq(unlink(in_sub), 0);
	ck_assert_int_eq(rmdir(sub), 0);
	ck_assert_int_eq(rmdir(d), 0);
	unlink(f1);
	unlink(f2);
	free(f1);
	free(f2);
}
END_TEST

START_TEST(lookups)
{
	struct vaccel_resource *r = NULL, **all = NULL;
	size_t n = 9;
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_resource_get_by_id(&r, 1), VACCEL_EPERM);
	ck_assert_int_eq(vaccel_resource_get_by_type(&r, VACCEL_RESOURCE_LIB), VACCEL_EPERM);
	ck_assert_int_eq(vaccel_resource_get_all_by_type(&all, &n, VACCEL_RESOURCE_LIB), VACCEL_EPERM);
	ck_assert_int_eq(unit_profile(noop_profile), 0);
	ck_assert_int_eq(vaccel_resource_get_by_type(&r, VACCEL_RESOURCE_LIB), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_get_all_by_type(&all, &n, VACCEL_RESOURCE_LIB), VACCEL_ENOENT);
	ck_assert_uint_eq(n, 0);
	struct vaccel_resource a, b, c;
	ck_assert_int_eq(vaccel_resource_init_from_buf(&a, "a", 1, VACCEL_RESOURCE_LIB, "a", true), 0);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&b, "b", 1, VACCEL_RESOURCE_DATA, "b", true), 0);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&c, "c", 1, VACCEL_RESOURCE_LIB, "c", true), 0);
	ck_assert_int_eq(vaccel_resource_get_by_id(&r, b.id), 0);
	ck_assert_ptr_eq(r, &b);
	ck_assert_int_eq(vaccel_resource_get_by_id(&r, 0), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_get_by_id(NULL, b.id), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_get_by_type(&r, VACCEL_RESOURCE_LIB), 0);
	ck_assert_ptr_eq(r, &a); /* the first created */
	ck_assert_int_eq(vaccel_resource_get_by_type(&r, VACCEL_RESOURCE_MAX), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_get_all_by_type(&all, &n, VACCEL_RESOURCE_LIB), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_eq(all[0], &a);
	ck_assert_ptr_eq(all[1], &c);
	free(all);
	ck_assert_int_eq(vaccel_resource_get_all_by_type(&all, NULL, VACCEL_RESOURCE_LIB),
			 VACCEL_EINVAL);
	vaccel_id_t gone = a.id;
	ck_assert_int_eq(vaccel_resource_release(&a), 0);
	ck_assert_int_eq(vaccel_resource_get_by_id(&r, gone), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_get_by_type(&r, VACCEL_RESOURCE_LIB), 0);
	ck_assert_ptr_eq(r, &c);
	ck_assert_int_eq(vaccel_resource_release(&b), 0);
	ck_assert_int_eq(vaccel_resource_release(&c), 0);
	ck_assert_int_eq(vaccel_resource_get_all_by_type(&all, &n, VACCEL_RESOURCE_LIB), VACCEL_ENOENT);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-resources");
	TCase *tc = tcase_create("resources");
	tcase_add_test(tc, blob_file);
	tcase_add_test(tc, blob_buffer);
	tcase_add_test(tc, resource_forms);
	tcase_add_test(tc, public_fields);
	tcase_add_test(tc, lookups);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
