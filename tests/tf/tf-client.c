/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow API as a program uses it, for tests/cli/tf.bats:
 *   tf-client run MODEL IN_NODE OUT_NODE IN.bin OUT.bin N DIM...
 *       load MODEL, run it N times feeding IN.bin (float32 of shape DIM...)
 *       to IN_NODE, write OUT_NODE's output to OUT.bin, unload
 *   tf-client load MODEL     load only: the return code and the status
 * Every status is printed, and the runs' times; the exit status is 0 when every call succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <vaccel.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void print_status(const char *what, int ret, const struct vaccel_tf_status *st)
{
	printf("%s: ret %d status code %u message %s\n", what, ret, (unsigned)st->code,
	       st->message ? st->message : "(none)");
}

static void *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *data = NULL;
	if (f && !fseek(f, 0, SEEK_END) && (*size = (size_t)ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET) && (data = malloc(*size)) && fread(data, 1, *size, f) != *size) {
		free(data);
		data = NULL;
	}
	if (f)
		fclose(f);
	return data;
}

static int run(struct vaccel_session *s, struct vaccel_resource *model, char **argv, int ndims)
{
	struct vaccel_tf_status st = { 0 };
	struct vaccel_tf_node in_node = { argv[1], 0 }, out_node = { argv[2], 0 };
	struct vaccel_tf_tensor *in, *out = NULL;
	int64_t dims[VACCEL_TF_MAX_DIMS];
	size_t size = 0;
	for (int i = 0; i < ndims; i++)
		dims[i] = atoll(argv[6 + i]);
	void *data = read_all(argv[3], &size);
	if (!data || vaccel_tf_tensor_new(&in, ndims, dims, VACCEL_TF_FLOAT))
		return 1;
	vaccel_tf_tensor_set_data(in, data, size);
	int ret = 0, runs = 0;
	double best = 0, total = 0;
	for (int i = 0; i < atoi(argv[5]) && !ret; i++) {
		vaccel_tf_tensor_delete(out);
		vaccel_tf_status_release(&st);
		double t0 = now_us();
		ret = vaccel_tf_model_run(s, model, NULL, &in_node, &in, 1, &out_node, &out, 1, &st);
		double dt = now_us() - t0;
		best = i == 0 || dt < best ? dt : best;
		total += dt;
		runs++;
	}
	print_status("run", ret, &st);
	printf("runs: %d, min %.1f us, mean %.1f us (the first loads the graph)\n", runs, best,
	       runs ? total / runs : 0);
	vaccel_tf_status_release(&st);
	if (!ret) {
		printf("output: type %d dims", (int)out->data_type);
		for (int i = 0; i < out->nr_dims; i++)
			printf(" %lld", (long long)out->dims[i]);
		printf(", %zu bytes\n", out->size);
		FILE *f = fopen(argv[4], "wb");
		if (!f || fwrite(out->data, 1, out->size, f) != out->size)
			ret = 1;
		if (f)
			fclose(f);
		vaccel_tf_tensor_delete(out);
	}
	vaccel_tf_tensor_delete(in);
	free(data);
	return ret;
}

int main(int argc, char **argv)
{
	struct vaccel_session s;
	struct vaccel_resource model;
	struct vaccel_tf_status st = { 0 };
	int run_mode = argc >= 9 && argv[1][0] == 'r';
	if (!run_mode && argc != 3) {
		fprintf(stderr, "usage: tf-client run MODEL IN_NODE OUT_NODE IN.bin OUT.bin N DIM... "
			"| load MODEL\n");
		return 2;
	}
	if (vaccel_resource_init(&model, argv[2], VACCEL_RESOURCE_MODEL) ||
	    vaccel_session_init(&s, 0) || vaccel_resource_register(&model, &s)) {
		fprintf(stderr, "tf-client: no session or model resource\n");
		return 1;
	}
	int ret = vaccel_tf_model_load(&s, &model, &st);
	print_status("load", ret, &st);
	vaccel_tf_status_release(&st);
	if (!ret && run_mode)
		ret = run(&s, &model, argv + 2, argc - 8);
	int unload = vaccel_tf_model_unload(&s, &model, &st);
	print_status("unload", unload, &st);
	vaccel_tf_status_release(&st);
	vaccel_resource_unregister(&model, &s);
	vaccel_session_release(&s);
	vaccel_resource_release(&model);
	return ret || unload ? 1 : 0;
}
