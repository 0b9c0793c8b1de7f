/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow Lite API as a program uses it, for tests/cli/tflite.bats:
 *   tflite-client run MODEL IN.bin OUT.bin N DIM...
 *       load MODEL, run it N times on IN.bin (float32 of shape DIM...),
 *       write its first output to OUT.bin, unload
 *   tflite-client load MODEL     load only
 * Every return code is printed, and the runs' times; the exit status is 0 when all succeeded.
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
	struct vaccel_tflite_tensor *in, *out = NULL;
	int32_t dims[VACCEL_TFLITE_MAX_DIMS];
	size_t size = 0;
	uint8_t status = 0;
	for (int i = 0; i < ndims; i++)
		dims[i] = atoi(argv[3 + i]);
	void *data = read_all(argv[0], &size);
	if (!data || vaccel_tflite_tensor_new(&in, ndims, dims, VACCEL_TFLITE_FLOAT32))
		return 1;
	vaccel_tflite_tensor_set_data(in, data, size);
	int ret = 0, runs = 0;
	double best = 0, total = 0;
	for (int i = 0; i < atoi(argv[2]) && !ret; i++) {
		vaccel_tflite_tensor_delete(out);
		double t0 = now_us();
		ret = vaccel_tflite_model_run(s, model, &in, 1, &out, 1, &status);
		double dt = now_us() - t0;
		best = i == 0 || dt < best ? dt : best;
		total += dt;
		runs++;
	}
	printf("run: ret %d status %u\n", ret, (unsigned)status);
	printf("runs: %d, min %.1f us, mean %.1f us (the first loads the model)\n", runs, best,
	       runs ? total / runs : 0);
	if (!ret) {
		printf("output: type %d dims", (int)out->data_type);
		for (int i = 0; i < out->nr_dims; i++)
			printf(" %d", (int)out->dims[i]);
		printf(", %zu bytes\n", out->size);
		FILE *f = fopen(argv[1], "wb");
		if (!f || fwrite(out->data, 1, out->size, f) != out->size)
			ret = 1;
		if (f)
			fclose(f);
		vaccel_tflite_tensor_delete(out);
	}
	vaccel_tflite_tensor_delete(in);
	free(data);
	return ret;
}

int main(int argc, char **argv)
{
	struct vaccel_session s;
	struct vaccel_resource model;
	int run_mode = argc >= 7 && argv[1][0] == 'r';
	if (!run_mode && argc != 3) {
		fprintf(stderr, "usage: tflite-client run MODEL IN.bin OUT.bin N DIM... | load MODEL\n");
		return 2;
	}
	if (vaccel_resource_init(&model, argv[2], VACCEL_RESOURCE_MODEL) ||
	    vaccel_session_init(&s, 0) || vaccel_resource_register(&model, &s)) {
		fprintf(stderr, "tflite-client: no session or model resource\n");
		return 1;
	}
	int ret = vaccel_tflite_model_load(&s, &model);
	printf("load: ret %d\n", ret);
	if (!ret && run_mode)
		ret = run(&s, &model, argv + 3, argc - 6);
	int unload = vaccel_tflite_model_unload(&s, &model);
	printf("unload: ret %d\n", unload);
	vaccel_resource_unregister(&model, &s);
	vaccel_session_release(&s);
	vaccel_resource_release(&model);
	return ret || unload ? 1 : 0;
}
