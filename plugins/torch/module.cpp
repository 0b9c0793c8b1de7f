// SPDX-License-Identifier: Apache-2.0
/*
 * The torch plugin's libtorch side: TorchScript models loaded on the CPU,
 * run in inference mode. Nothing of libtorch crosses torch-module.h; every
 * exception stops here and becomes a VACCEL_* code with its first line.
 */
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>
#include <torch/script.h>
#include <torch/cuda.h>
#include <ATen/Parallel.h>
#include <vaccel/error.h>
#include <vaccel/torch.h>
#include "torch-module.h"

namespace {

void say(char *err, size_t len, const std::string &what)
{
	if (!err || !len)
		return;
	// libtorch's messages carry a backtrace after the first line; the
	// interpreter's put the reason last, after a traceback of the script.
	size_t at = what.rfind("RuntimeError: ");
	std::string line = at == std::string::npos ? what : what.substr(at + 14);
	line = line.substr(0, line.find('\n'));
	std::snprintf(err, len, "%s", line.c_str());
}

int load(torch::jit::Module m, void **model)
{
	m.eval();
	*model = new torch::jit::Module(std::move(m));
	return VACCEL_OK;
}

int load_file(const char *path, void **model, char *err, size_t len)
{
	try {
		return load(torch::jit::load(path, torch::kCPU), model);
	} catch (const std::exception &e) {
		say(err, len, e.what());
		return VACCEL_EIO;
	}
}

int load_bytes(const void *data, size_t size, void **model, char *err, size_t len)
{
	try {
		std::istringstream in(std::string(static_cast<const char *>(data), size));
		return load(torch::jit::load(in, torch::kCPU), model);
	} catch (const std::exception &e) {
		say(err, len, e.what());
		return VACCEL_EIO;
	}
}

void free_model(void *model)
{
	delete static_cast<torch::jit::Module *>(model);
}

int cuda_available()
{
	return torch::cuda::is_available();
}

void set_threads(int n)
{
	if (n > 0)
		at::set_num_threads(n);
}

std::vector<int64_t> dims_of(const int64_t *d)
{
	return std::vector<int64_t>(d + 2, d + 2 + d[1]);
}

// The results as tensors: a tensor, or a tuple or list of tensors.
bool flatten(const c10::IValue &v, std::vector<at::Tensor> &out)
{
	if (v.isTensor()) {
		out.push_back(v.toTensor());
		return true;
	}
	if (v.isTuple()) {
		for (const auto &e : v.toTupleRef().elements())
			if (!flatten(e, out))
				return false;
		return true;
	}
	if (v.isList()) {
		for (const auto &e : v.toListRef())
			if (!flatten(e, out))
				return false;
		return true;
	}
	return false;
}

// vAccel's types are torch's first seven (+1); double and bool are narrowed.
int to_vaccel(at::Tensor &t, int64_t *d, int i, char *err, size_t len)
{
	if (t.scalar_type() == at::kDouble)
		t = t.to(at::kFloat);
	else if (t.scalar_type() == at::kBool)
		t = t.to(at::kByte);
	int st = static_cast<int>(t.scalar_type());
	if (st < 0 || st > 6) {
		say(err, len, "output " + std::to_string(i) + " is of type " +
				      std::string(c10::toString(t.scalar_type())) +
				      ", which vAccel's tensors cannot hold");
		return VACCEL_ENOTSUP;
	}
	if (t.dim() > VACCEL_TORCH_MAX_DIMS) {
		say(err, len, "output " + std::to_string(i) + " has " + std::to_string(t.dim()) +
				      " dims (at most 8 travel)");
		return VACCEL_ENOTSUP;
	}
	t = t.contiguous();
	std::memset(d, 0, VACCEL_TORCH_DESC_LEN * sizeof(int64_t));
	d[0] = st + 1;
	d[1] = t.dim() ? t.dim() : 1; // a 0-dim result is a tensor of one
	d[2] = 1;
	for (int64_t k = 0; k < t.dim(); k++)
		d[2 + k] = t.size(k);
	return VACCEL_OK;
}

int run(void *model, const int64_t *in_desc, const void *const *in, int nin, int64_t *out_desc,
	void *const *out, const size_t *cap, int nout, char *err, size_t len)
{
	try {
		c10::InferenceMode guard;
		auto *m = static_cast<torch::jit::Module *>(model);
		std::vector<c10::IValue> inputs;
		for (int i = 0; i < nin; i++) {
			const int64_t *d = in_desc + i * VACCEL_TORCH_DESC_LEN;
			auto type = static_cast<at::ScalarType>(d[0] - 1);
			at::Tensor t = torch::empty(dims_of(d), torch::TensorOptions().dtype(type));
			std::memcpy(t.data_ptr(), in[i], t.nbytes());
			inputs.emplace_back(std::move(t));
		}
		std::vector<at::Tensor> results;
		if (!flatten(m->forward(inputs), results)) {
			say(err, len, "forward() returned something other than tensors");
			return VACCEL_ENOTSUP;
		}
		if ((int)results.size() < nout) {
			say(err, len, "the model gives " + std::to_string(results.size()) +
					      " outputs, " + std::to_string(nout) + " were asked");
			return VACCEL_EINVAL;
		}
		bool fits = true;
		for (int i = 0; i < nout; i++) {
			int ret = to_vaccel(results[i], out_desc + i * VACCEL_TORCH_DESC_LEN, i, err, len);
			if (ret)
				return ret;
			fits = fits && results[i].nbytes() <= cap[i];
		}
		if (!fits)
			return VACCEL_ENOBUFS;
		for (int i = 0; i < nout; i++)
			std::memcpy(out[i], results[i].data_ptr(), results[i].nbytes());
		return VACCEL_OK;
	} catch (const std::exception &e) {
		say(err, len, e.what());
		return VACCEL_EIO;
	}
}

int sgemm(int64_t m, int64_t n, int64_t k, const float *a, const float *b, const float *c,
	  float *out, char *err, size_t len)
{
	try {
		c10::InferenceMode guard;
		auto opts = torch::TensorOptions().dtype(torch::kFloat);
		at::Tensor A = torch::from_blob(const_cast<float *>(a), { m, k }, opts);
		at::Tensor B = torch::from_blob(const_cast<float *>(b), { k, n }, opts);
		at::Tensor O = torch::from_blob(out, { m, n }, opts);
		if (c)
			torch::addmm_out(O, torch::from_blob(const_cast<float *>(c), { m, n }, opts), A, B);
		else
			torch::mm_out(O, A, B);
		return VACCEL_OK;
	} catch (const std::exception &e) {
		say(err, len, e.what());
		return VACCEL_EIO;
	}
}

} // namespace

extern "C" __attribute__((visibility("default"))) const struct torch_module vaccel_torch_module = {
	cuda_available, set_threads, load_file, load_bytes, free_model, run, sgemm,
};
