// SPDX-License-Identifier: Apache-2.0
// The tf plugin's C++ side: OpenCV dnn's TensorFlow importer behind the
// extern "C" table of tf-module.h. No exception leaves this file: each
// becomes a VACCEL_E* code and the reason in err.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>
#include <opencv2/dnn.hpp>
#include <vaccel/error.h>
#include <vaccel/tf.h>
#include "tf-module.h"

namespace {

// forward() is not thread-safe: each graph has its lock.
struct Graph {
	std::mutex lock;
	cv::dnn::Net net;
};

// The first line of an OpenCV exception: the rest repeats the source location.
std::string first_line(const cv::Exception &e)
{
	std::string s = e.err.empty() ? e.what() : e.err;
	return s.substr(0, s.find('\n'));
}

// OpenCV names the node type it has no layer for; a parse failure does not.
bool unsupported(const std::string &msg)
{
	return msg.find("Can't create layer") != std::string::npos ||
	       msg.find("Unknown layer type") != std::string::npos ||
	       msg.find("not supported") != std::string::npos ||
	       msg.find("Unsupported") != std::string::npos;
}

// ---- what OpenCV does not say: the node it stopped at ----
// A GraphDef is protobuf: field 1 holds the nodes, each a NodeDef whose
// fields 1, 2 and 3 are its name, its op type and its inputs. Reading
// those few fields is all that is needed to name a node's type.

struct Node {
	std::string name, op;
	std::vector<std::string> inputs;
};

bool varint(const unsigned char *&p, const unsigned char *end, uint64_t &v)
{
	v = 0;
	for (int shift = 0; p < end && shift < 64; shift += 7) {
		v |= static_cast<uint64_t>(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			return true;
	}
	return false;
}

// Calls f(field, bytes, size) for each length-delimited field; false when malformed.
template <typename F> bool fields(const unsigned char *p, const unsigned char *end, F f)
{
	while (p < end) {
		uint64_t key, v;
		if (!varint(p, end, key))
			return false;
		switch (key & 7) {
		case 0: if (!varint(p, end, v)) return false; break;
		case 1: p += 8; break;
		case 5: p += 4; break;
		case 2:
			if (!varint(p, end, v) || v > static_cast<uint64_t>(end - p))
				return false;
			f(key >> 3, p, static_cast<size_t>(v));
			p += v;
			break;
		default: return false;
		}
	}
	return p == end;
}

std::vector<Node> graph_nodes(const void *data, size_t size)
{
	std::vector<Node> nodes;
	const unsigned char *b = static_cast<const unsigned char *>(data);
	fields(b, b + size, [&](uint64_t field, const unsigned char *p, size_t n) {
		if (field != 1)
			return;
		Node node;
		fields(p, p + n, [&](uint64_t f, const unsigned char *q, size_t m) {
			std::string v(reinterpret_cast<const char *>(q), m);
			if (f == 1) node.name = v;
			else if (f == 2) node.op = v;
			else if (f == 3) node.inputs.push_back(v);
		});
		nodes.push_back(node);
	});
	return nodes;
}

// "Input layer not found: X": OpenCV stopped at the first node reading X.
std::string stopped_at(const std::string &msg, const void *data, size_t size)
{
	const std::string tag = "Input layer not found: ";
	size_t at = msg.find(tag);
	if (at == std::string::npos)
		return "";
	std::string missing = msg.substr(at + tag.size());
	for (const Node &n : graph_nodes(data, size))
		for (std::string in : n.inputs) {
			in = in.substr(in[0] == '^' ? 1 : 0);
			if (in == missing || in.rfind(missing + ":", 0) == 0)
				return "node '" + n.name + "' of type '" + n.op + "'";
		}
	return "";
}

int tf_load(const void *data, size_t size, void **graph, char *err, size_t len)
{
	try {
		Graph *g = new Graph;
		try {
			g->net = cv::dnn::readNetFromTensorflow(static_cast<const char *>(data), size);
		} catch (...) {
			delete g;
			throw;
		}
		if (g->net.empty()) {
			delete g;
			std::snprintf(err, len, "OpenCV dnn built no layer from it");
			return VACCEL_EIO;
		}
		g->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
		// OpenCV makes a node's layer when first used: make them all now,
		// so that a node type it lacks is refused at load, not at run.
		try {
			std::vector<cv::String> names = g->net.getLayerNames();
			for (const cv::String &name : names)
				g->net.getLayer(name);
		} catch (...) {
			delete g;
			throw;
		}
		*graph = g;
		return VACCEL_OK;
	} catch (const cv::Exception &e) {
		std::string msg = first_line(e), node = stopped_at(msg, data, size);
		if (!node.empty()) {
			std::snprintf(err, len, "OpenCV dnn stopped at %s: %s", node.c_str(),
				      msg.c_str());
			return VACCEL_ENOTSUP;
		}
		std::snprintf(err, len, "OpenCV dnn: %s", msg.c_str());
		return unsupported(msg) ? VACCEL_ENOTSUP : VACCEL_EIO;
	} catch (const std::exception &e) {
		std::snprintf(err, len, "%s", e.what());
		return VACCEL_EIO;
	}
}

void tf_free(void *graph)
{
	delete static_cast<Graph *>(graph);
}

// "name:0" is the node's first output, which OpenCV calls by the name alone.
std::string layer_name(const char *node)
{
	std::string s = node;
	size_t colon = s.rfind(':');
	if (colon != std::string::npos && s.compare(colon, std::string::npos, ":0") == 0)
		s.erase(colon);
	return s;
}

cv::Mat input_blob(const int64_t *d, const void *data)
{
	std::vector<int> dims(d + 2, d + 2 + d[1]);
	return cv::Mat(static_cast<int>(dims.size()), dims.data(), CV_32F,
		       const_cast<void *>(data));
}

// Describe the output; false when it does not fit its buffer.
bool describe(const cv::Mat &m, int64_t *d, size_t cap)
{
	std::memset(d, 0, VACCEL_TF_DESC_LEN * sizeof(int64_t));
	d[0] = VACCEL_TF_FLOAT;
	d[1] = m.dims;
	for (int i = 0; i < m.dims && i < VACCEL_TF_MAX_DIMS; i++)
		d[2 + i] = m.size[i];
	return m.total() * sizeof(float) <= cap;
}

int tf_run(void *graph, const char *const *in_names, const int64_t *in_desc,
	   const void *const *in, int nin, const char *const *out_names, int64_t *out_desc,
	   void *const *out, const size_t *cap, int nout, char *err, size_t len)
{
	Graph *g = static_cast<Graph *>(graph);
	for (int i = 0; i < nin; i++) {
		const int64_t *d = in_desc + i * VACCEL_TF_DESC_LEN;
		if (d[0] != VACCEL_TF_FLOAT) {
			std::snprintf(err, len, "input %d: data type %lld; OpenCV dnn takes "
				      "VACCEL_TF_FLOAT only", i, static_cast<long long>(d[0]));
			return VACCEL_ENOTSUP;
		}
	}
	try {
		std::lock_guard<std::mutex> hold(g->lock);
		for (int i = 0; i < nin; i++)
			g->net.setInput(input_blob(in_desc + i * VACCEL_TF_DESC_LEN, in[i]),
					layer_name(in_names[i]));
		std::vector<cv::String> names;
		for (int j = 0; j < nout; j++) {
			names.push_back(layer_name(out_names[j]));
			// OpenCV's own message would say "id=-1".
			if (g->net.getLayerId(names.back()) < 0) {
				std::snprintf(err, len, "output node '%s' is not a layer of the graph "
					      "(absent, or merged into another by OpenCV)",
					      out_names[j]);
				return VACCEL_EINVAL;
			}
		}
		std::vector<cv::Mat> outs;
		g->net.forward(outs, names);
		bool fits = true;
		for (int j = 0; j < nout; j++) {
			cv::Mat m = outs[j].isContinuous() ? outs[j] : outs[j].clone();
			if (m.type() != CV_32F || m.dims > VACCEL_TF_MAX_DIMS) {
				std::snprintf(err, len, "output %d (%s): not float32 of at most %d "
					      "dims", j, out_names[j], VACCEL_TF_MAX_DIMS);
				return VACCEL_EIO;
			}
			fits = describe(m, out_desc + j * VACCEL_TF_DESC_LEN, cap[j]) && fits;
			outs[j] = m;
		}
		if (!fits)
			return VACCEL_ENOBUFS;
		for (int j = 0; j < nout; j++)
			std::memcpy(out[j], outs[j].ptr(), outs[j].total() * sizeof(float));
		return VACCEL_OK;
	} catch (const cv::Exception &e) {
		std::snprintf(err, len, "OpenCV dnn: %s", first_line(e).c_str());
		return VACCEL_EIO;
	} catch (const std::exception &e) {
		std::snprintf(err, len, "%s", e.what());
		return VACCEL_EIO;
	}
}

} // namespace

extern "C" __attribute__((visibility("default"))) const struct tf_module vaccel_tf_module = {
	tf_load, tf_free, tf_run,
};
