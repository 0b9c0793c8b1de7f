// SPDX-License-Identifier: Apache-2.0
// The tflite plugin's C++ side: Arm NN's TfLite parser and runtime on the
// CpuRef backend, behind the extern "C" table of tflite-module.h. No
// exception leaves this file: each becomes a VACCEL_E* code and the
// reason in err.
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <armnn/ArmNN.hpp>
#include <armnnTfLiteParser/ITfLiteParser.hpp>
#include <vaccel/error.h>
#include <vaccel/tflite.h>
#include "tflite-module.h"

namespace {

struct Model {
	armnn::IRuntimePtr runtime{ nullptr, &armnn::IRuntime::Destroy };
	armnn::NetworkId id = 0;
	std::vector<armnn::BindingPointInfo> inputs, outputs;
	std::mutex lock; // one run at a time per model
};

// Arm NN's types and vAccel's; NOTYPE for one without a counterpart.
int64_t vaccel_type(armnn::DataType t)
{
	switch (t) {
	case armnn::DataType::Float32: return VACCEL_TFLITE_FLOAT32;
	case armnn::DataType::Float16: return VACCEL_TFLITE_FLOAT16;
	case armnn::DataType::Signed32: return VACCEL_TFLITE_INT32;
	case armnn::DataType::QAsymmU8: return VACCEL_TFLITE_UINT8;
	case armnn::DataType::QAsymmS8: return VACCEL_TFLITE_INT8;
	case armnn::DataType::QSymmS16: return VACCEL_TFLITE_INT16;
	case armnn::DataType::Boolean: return VACCEL_TFLITE_BOOL;
	default: return VACCEL_TFLITE_NOTYPE;
	}
}

int load_model(Model &m, const void *data, size_t size, char *err, size_t len)
{
	auto parser = armnnTfLiteParser::ITfLiteParser::Create();
	const uint8_t *b = static_cast<const uint8_t *>(data);
	armnn::INetworkPtr net = parser->CreateNetworkFromBinary(std::vector<uint8_t>(b, b + size));
	for (const std::string &name : parser->GetSubgraphInputTensorNames(0))
		m.inputs.push_back(parser->GetNetworkInputBindingInfo(0, name));
	for (const std::string &name : parser->GetSubgraphOutputTensorNames(0))
		m.outputs.push_back(parser->GetNetworkOutputBindingInfo(0, name));
	armnn::IRuntime::CreationOptions options;
	m.runtime = armnn::IRuntime::Create(options);
	std::vector<std::string> messages;
	armnn::OptimizerOptions opt;
	armnn::IOptimizedNetworkPtr optimized = armnn::Optimize(
		*net, { armnn::Compute::CpuRef }, m.runtime->GetDeviceSpec(), opt,
		armnn::Optional<std::vector<std::string> &>(messages));
	// Without a backend that takes every layer there is no network: Arm NN's
	// LoadNetwork would dereference it.
	if (!optimized) {
		std::string why = messages.empty() ? "no backend can run it (is "
			"libarmnn-cpuref-backend22 installed?)" : messages.front();
		std::snprintf(err, len, "Arm NN: %s", why.c_str());
		return VACCEL_ENOTSUP;
	}
	std::string why;
	if (m.runtime->LoadNetwork(m.id, std::move(optimized), why) != armnn::Status::Success) {
		std::snprintf(err, len, "Arm NN: %s", why.c_str());
		return VACCEL_ENOTSUP;
	}
	return VACCEL_OK;
}

int tflite_load(const void *data, size_t size, void **model, char *err, size_t len)
{
	try {
		std::unique_ptr<Model> m(new Model);
		int ret = load_model(*m, data, size, err, len);
		if (!ret)
			*model = m.release();
		return ret;
	} catch (const std::exception &e) {
		std::snprintf(err, len, "Arm NN's TfLite parser: %s", e.what());
		return VACCEL_ENOTSUP;
	}
}

void tflite_free(void *model)
{
	Model *m = static_cast<Model *>(model);
	if (m->runtime)
		m->runtime->UnloadNetwork(m->id);
	delete m;
}

// The input's description must be the model's: type and element count.
bool input_fits(const armnn::TensorInfo &info, const int64_t *d, int i, char *err, size_t len)
{
	uint64_t n = 1;
	for (int64_t k = 0; k < d[1]; k++)
		n *= static_cast<uint64_t>(d[2 + k]);
	if (vaccel_type(info.GetDataType()) == d[0] && n == info.GetNumElements())
		return true;
	std::snprintf(err, len, "input %d: type %lld of %llu elements; the model takes type %lld "
		      "of %u", i, static_cast<long long>(d[0]), static_cast<unsigned long long>(n),
		      static_cast<long long>(vaccel_type(info.GetDataType())),
		      info.GetNumElements());
	return false;
}

// Describe output info; false when it does not fit cap bytes.
bool describe(const armnn::TensorInfo &info, int64_t *d, size_t cap)
{
	std::memset(d, 0, VACCEL_TFLITE_DESC_LEN * sizeof(int64_t));
	d[0] = vaccel_type(info.GetDataType());
	const armnn::TensorShape &s = info.GetShape();
	d[1] = s.GetNumDimensions();
	for (unsigned k = 0; k < s.GetNumDimensions() && k < VACCEL_TFLITE_MAX_DIMS; k++)
		d[2 + k] = s[k];
	return info.GetNumBytes() <= cap;
}

int tflite_run(void *model, const int64_t *in_desc, const void *const *in, int nin,
	       int64_t *out_desc, void *const *out, const size_t *cap, int nout, char *err,
	       size_t len)
{
	Model *m = static_cast<Model *>(model);
	if (static_cast<size_t>(nin) != m->inputs.size() ||
	    static_cast<size_t>(nout) > m->outputs.size()) {
		std::snprintf(err, len, "the model takes %zu inputs and gives %zu outputs; %d and "
			      "%d were given", m->inputs.size(), m->outputs.size(), nin, nout);
		return VACCEL_EINVAL;
	}
	for (int i = 0; i < nin; i++)
		if (!input_fits(m->inputs[i].second, in_desc + i * VACCEL_TFLITE_DESC_LEN, i, err, len))
			return VACCEL_EINVAL;
	bool fits = true;
	for (int j = 0; j < nout; j++)
		fits = describe(m->outputs[j].second, out_desc + j * VACCEL_TFLITE_DESC_LEN, cap[j]) &&
		       fits;
	if (!fits)
		return VACCEL_ENOBUFS;
	try {
		armnn::InputTensors ins;
		armnn::OutputTensors outs;
		for (int i = 0; i < nin; i++)
			ins.push_back({ m->inputs[i].first, armnn::ConstTensor(m->inputs[i].second, in[i]) });
		for (int j = 0; j < nout; j++)
			outs.push_back({ m->outputs[j].first, armnn::Tensor(m->outputs[j].second, out[j]) });
		std::lock_guard<std::mutex> hold(m->lock);
		if (m->runtime->EnqueueWorkload(m->id, ins, outs) != armnn::Status::Success) {
			std::snprintf(err, len, "Arm NN: the workload failed");
			return VACCEL_EIO;
		}
		return VACCEL_OK;
	} catch (const std::exception &e) {
		std::snprintf(err, len, "Arm NN: %s", e.what());
		return VACCEL_EIO;
	}
}

} // namespace

extern "C" __attribute__((visibility("default"))) const struct tflite_module vaccel_tflite_module = {
	tflite_load, tflite_free, tflite_run,
};
