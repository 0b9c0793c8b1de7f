// SPDX-License-Identifier: Apache-2.0
// The reference for `vaccel infer`: OpenCV dnn called directly, without
// libvaccel, on the same .npy input. Built for `make check` only.
//
//   infer-ref input FILE DIM...              write a deterministic input tensor
//   infer-ref run MODEL INPUT OUTPUT [LAYER] forward INPUT, write the output
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <opencv2/dnn.hpp>
#include "npy.h"

namespace {

// Values in [-1, 1) from a fixed LCG: exact in float32, same on every host.
int make_input(int argc, char **argv)
{
	vaccel_tensor t{};
	t.ndims = (size_t)(argc - 3);
	if (t.ndims < 1 || t.ndims > VACCEL_TENSOR_MAX_DIMS)
		return 2;
	t.count = 1;
	for (size_t i = 0; i < t.ndims; i++)
		t.count *= (size_t)(t.dims[i] = atoll(argv[3 + i]));
	std::vector<float> v(t.count);
	uint32_t x = 12345;
	for (float &f : v) {
		x = x * 1664525u + 1013904223u;
		f = (float)(x >> 8) / (float)(1u << 23) - 1.0f;
	}
	t.data = v.data();
	char err[512];
	if (npy_write(argv[2], &t, err, sizeof(err))) {
		fprintf(stderr, "infer-ref: %s\n", err);
		return 1;
	}
	return 0;
}

int run(int argc, char **argv)
{
	vaccel_tensor in{}, out{};
	char err[512];
	if (npy_read(argv[3], &in, err, sizeof(err))) {
		fprintf(stderr, "infer-ref: %s\n", err);
		return 1;
	}
	std::vector<int> sizes(in.dims, in.dims + in.ndims);
	cv::dnn::Net net = cv::dnn::readNet(argv[2]);
	net.setInput(cv::Mat((int)in.ndims, sizes.data(), CV_32F, in.data));
	cv::Mat res = argc > 5 ? net.forward(argv[5]) : net.forward();
	out.ndims = (size_t)res.dims;
	for (int i = 0; i < res.dims; i++)
		out.dims[i] = res.size[i];
	out.data = res.ptr<float>();
	out.count = res.total();
	int ret = npy_write(argv[4], &out, err, sizeof(err));
	if (ret)
		fprintf(stderr, "infer-ref: %s\n", err);
	free(in.data);
	return ret ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "input"))
		return make_input(argc, argv);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "run"))
		return run(argc, argv);
	fprintf(stderr, "usage: infer-ref input FILE DIM... | run MODEL INPUT OUTPUT [LAYER]\n");
	return 2;
}
