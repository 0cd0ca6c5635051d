namespace Nabla.Onnx;

/// <summary>
/// An operator set a model imports (<c>onnx.OperatorSetIdProto</c>): <see cref="Domain"/> is empty (or
/// <c>ai.onnx</c>) for the standard operators, and <see cref="Version"/> is the opset version (<c>opset_version</c>
/// in <c>torch.onnx.export</c>).
/// </summary>
/// <param name="Domain">The operator domain; empty for standard ONNX.</param>
/// <param name="Version">The operator set version.</param>
public sealed record OnnxOpsetImport(string Domain, long Version);
