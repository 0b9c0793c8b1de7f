// SPDX-License-Identifier: Apache-2.0
/*
 * The reference the torch tests compare with: libtorch called directly.
 *   torch-ref make DIR   define a TorchScript module with libtorch's C++ API
 *                        and save it as DIR/model.pt (inputs x [2,3,8,8],
 *                        y [2,5]; outputs [2,5] and [2,3]), with inputs
 *                        DIR/x.bin and DIR/y.bin (float32, seeded)
 *   torch-ref run DIR    load DIR/model.pt, run it on the inputs and write
 *                        DIR/ref0.bin and DIR/ref1.bin
 *   torch-ref make1 DIR  a one-input module for `vaccel infer`: DIR/single.pt
 *                        (x [2,3,8,8] -> [2,5]) and its input DIR/xs.bin
 *   torch-ref run1 DIR   run DIR/single.pt on DIR/xs.bin into DIR/refs.bin
 */
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>
#include <torch/script.h>

static void save(const std::string &path, const at::Tensor &t)
{
	at::Tensor c = t.contiguous();
	std::ofstream(path, std::ios::binary).write(static_cast<const char *>(c.data_ptr()), c.nbytes());
}

static at::Tensor load(const std::string &path, std::vector<int64_t> dims)
{
	at::Tensor t = torch::empty(dims);
	std::ifstream(path, std::ios::binary).read(static_cast<char *>(t.data_ptr()), t.nbytes());
	return t;
}

/* One input, one output: what `vaccel infer` passes (a .npy in, a .npy out). */
static void make1(const std::string &dir)
{
	torch::manual_seed(11);
	torch::jit::Module m("Single");
	m.register_parameter("cw", torch::randn({ 4, 3, 3, 3 }) * 0.3, false);
	m.register_parameter("fw", torch::randn({ 5, 64 }) * 0.2, false);
	m.define(R"(
def forward(self, x):
    h = torch.relu(torch.conv2d(x, self.cw, None, 1, 1))
    h = torch.adaptive_avg_pool2d(h, [4, 4]).flatten(1)
    return torch.softmax(torch.mm(h, self.fw.t()), 1)
)");
	m.save(dir + "/single.pt");
	save(dir + "/xs.bin", torch::randn({ 2, 3, 8, 8 }));
}

static void run1(const std::string &dir)
{
	torch::jit::Module m = torch::jit::load(dir + "/single.pt");
	c10::InferenceMode guard;
	save(dir + "/refs.bin", m.forward({ load(dir + "/xs.bin", { 2, 3, 8, 8 }) }).toTensor());
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: torch-ref make|run|make1|run1 DIR\n");
		return 2;
	}
	std::string dir = argv[2];
	try {
		if (!std::strcmp(argv[1], "make1") || !std::strcmp(argv[1], "run1")) {
			(argv[1][0] == 'm' ? make1 : run1)(dir);
			return 0;
		}
		if (!std::strcmp(argv[1], "make")) {
			torch::manual_seed(7);
			torch::jit::Module m("Small");
			m.register_parameter("cw", torch::randn({ 4, 3, 3, 3 }) * 0.3, false);
			m.register_parameter("cb", torch::randn({ 4 }) * 0.1, false);
			m.register_parameter("fw", torch::randn({ 5, 64 }) * 0.2, false);
			m.register_parameter("fb", torch::randn({ 5 }) * 0.1, false);
			m.define(R"(
def forward(self, x, y):
    h = torch.relu(torch.conv2d(x, self.cw, self.cb, 1, 1))
    h = torch.max_pool2d(h, 2)
    h = torch.adaptive_avg_pool2d(h, [4, 4]).flatten(1)
    z = torch.softmax(torch.addmm(self.fb, h, self.fw.t()) + y, 1)
    return (z, x.mean([2, 3]))
)");
			m.save(dir + "/model.pt");
			save(dir + "/x.bin", torch::randn({ 2, 3, 8, 8 }));
			save(dir + "/y.bin", torch::randn({ 2, 5 }));
			return 0;
		}
		torch::jit::Module m = torch::jit::load(dir + "/model.pt");
		c10::InferenceMode guard;
		auto out = m.forward({ load(dir + "/x.bin", { 2, 3, 8, 8 }),
				       load(dir + "/y.bin", { 2, 5 }) }).toTuple();
		save(dir + "/ref0.bin", out->elements()[0].toTensor());
		save(dir + "/ref1.bin", out->elements()[1].toTensor());
		return 0;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "torch-ref: %s\n", e.what());
		return 1;
	}
}
