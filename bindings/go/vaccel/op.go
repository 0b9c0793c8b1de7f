// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <vaccel.h>
*/
import "C"

// OpType is an op's code (vAccel's numbering), as genop's read[0] takes it.
type OpType int32

const (
	OpNoop              OpType = C.VACCEL_OP_NOOP
	OpExec              OpType = C.VACCEL_OP_EXEC
	OpExecWithResource  OpType = C.VACCEL_OP_EXEC_WITH_RESOURCE
	OpImageClassify     OpType = C.VACCEL_OP_IMAGE_CLASSIFY
	OpImageDetect       OpType = C.VACCEL_OP_IMAGE_DETECT
	OpImageSegment      OpType = C.VACCEL_OP_IMAGE_SEGMENT
	OpImagePose         OpType = C.VACCEL_OP_IMAGE_POSE
	OpImageDepth        OpType = C.VACCEL_OP_IMAGE_DEPTH
	OpTfModelLoad       OpType = C.VACCEL_OP_TF_MODEL_LOAD
	OpTfModelUnload     OpType = C.VACCEL_OP_TF_MODEL_UNLOAD
	OpTfModelRun        OpType = C.VACCEL_OP_TF_MODEL_RUN
	OpTfliteModelLoad   OpType = C.VACCEL_OP_TFLITE_MODEL_LOAD
	OpTfliteModelUnload OpType = C.VACCEL_OP_TFLITE_MODEL_UNLOAD
	OpTfliteModelRun    OpType = C.VACCEL_OP_TFLITE_MODEL_RUN
	OpTorchModelLoad    OpType = C.VACCEL_OP_TORCH_MODEL_LOAD
	OpTorchModelRun     OpType = C.VACCEL_OP_TORCH_MODEL_RUN
	OpTorchSgemm        OpType = C.VACCEL_OP_TORCH_SGEMM
	OpBlasSgemm         OpType = C.VACCEL_OP_BLAS_SGEMM
	OpFpgaArrayCopy     OpType = C.VACCEL_OP_FPGA_ARRAYCOPY
	OpFpgaMMult         OpType = C.VACCEL_OP_FPGA_MMULT
	OpFpgaParallel      OpType = C.VACCEL_OP_FPGA_PARALLEL
	OpFpgaVectorAdd     OpType = C.VACCEL_OP_FPGA_VECTORADD
	OpMinmax            OpType = C.VACCEL_OP_MINMAX
	OpOpencv            OpType = C.VACCEL_OP_OPENCV
)

// String is the op's name ("noop", "blas_sgemm", ...).
func (op OpType) String() string {
	return C.GoString(C.vaccel_op_name(C.vaccel_op_type_t(op)))
}
