using Nabla.NN;
using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// Exports a module to an ONNX file by tracing one forward pass (<c>torch.onnx.export</c>). Every tensor of module
/// state that the forward reads — parameters, buffers (persistent or not) and plain tensor fields alike — becomes an
/// initializer named by its fully qualified name (<c>fc1.weight</c>, <c>my_tensor</c>), as PyTorch 2.x's exporter
/// names them; state the forward does not read is left out. Tensors created inside forward become constants. The
/// module runs in eval mode during the export (PyTorch's default <c>training=TrainingMode.EVAL</c>) and gets its
/// modes back afterwards.
/// </summary>
/// <remarks>
/// The graph is what the traced run did: control flow is fixed by the example inputs. With
/// <c>dynamicAxes</c>, the forward runs a second time with those axes one larger, and sizes or positions that change
/// are read from the inputs' shapes (a reshape to <c>[batch, 784]</c> becomes <c>[-1, 784]</c>); the export fails
/// with <see cref="OnnxExportException"/> when a size changes in a way the graph cannot express.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The opset written when none is asked for (ONNX 1.13's, IR version 8).</summary>
    public const int DefaultOpsetVersion = 18;

    /// <summary>The oldest opset the exporter writes.</summary>
    public const int MinOpsetVersion = 13;

    /// <summary>The newest opset the exporter writes.</summary>
    public const int MaxOpsetVersion = 18;

    /// <summary>Exports <paramref name="module"/>, traced with one input, to a file (<c>torch.onnx.export(model, (x,), path, ...)</c>).</summary>
    /// <param name="module">The model; its <c>Forward</c> is called through <see cref="Module.Call"/>, hooks included.</param>
    /// <param name="input">An example input: its dtype and shape become the graph input's type.</param>
    /// <param name="path">Where to write the .onnx file.</param>
    /// <param name="inputNames">Names of the graph inputs in order (default <c>input</c>, or <c>input_0</c>, <c>input_1</c>, ...); fewer names than inputs leaves the rest default.</param>
    /// <param name="outputNames">Names of the graph outputs (default <c>output</c>, or <c>output_0</c>, ...).</param>
    /// <param name="opsetVersion">ONNX opset, <see cref="MinOpsetVersion"/> to <see cref="MaxOpsetVersion"/>.</param>
    /// <param name="dynamicAxes">Input or output name → axis → symbolic name (<c>{"input_x": {0: "batch"}}</c>): those dims are written as <c>dim_param</c> and may change size at run time.</param>
    /// <param name="exportParams">False leaves module state out of the file: each state tensor read becomes a graph input instead.</param>
    /// <param name="keepInitializersAsInputs">Also list every initializer among the graph inputs (for old runtimes).</param>
    /// <returns>The exported model, as written.</returns>
    /// <exception cref="OnnxExportException">An op has no ONNX lowering (the message names the op kind and module path), the names or dynamic axes do not fit the model, or the forward pass fails.</exception>
    public static OnnxModel Export(Module module, Tensor input, string path, string[]? inputNames = null, string[]? outputNames = null,
        int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null, bool exportParams = true,
        bool keepInitializersAsInputs = false)
        => Save(Build(module, null, [input], inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), path);

    /// <summary>Exports a module whose forward takes several inputs (<see cref="Module.Forward(Tensor[])"/>) to a file; parameters as in <see cref="Export(Module, Tensor, string, string[], string[], int, Dictionary{string, Dictionary{int, string}}, bool, bool)"/>.</summary>
    public static OnnxModel Export(Module module, Tensor[] inputs, string path, string[]? inputNames = null, string[]? outputNames = null,
        int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null, bool exportParams = true,
        bool keepInitializersAsInputs = false)
        => Save(Build(module, null, inputs, inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), path);

    /// <summary>Exports a module traced with one input to a stream (<c>torch.onnx.export(model, (x,), f)</c> with a file object).</summary>
    public static OnnxModel Export(Module module, Tensor input, Stream stream, string[]? inputNames = null, string[]? outputNames = null,
        int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null, bool exportParams = true,
        bool keepInitializersAsInputs = false)
        => Save(Build(module, null, [input], inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), stream);

    /// <summary>Exports a module traced with several inputs to a stream.</summary>
    public static OnnxModel Export(Module module, Tensor[] inputs, Stream stream, string[]? inputNames = null, string[]? outputNames = null,
        int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null, bool exportParams = true,
        bool keepInitializersAsInputs = false)
        => Save(Build(module, null, inputs, inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), stream);

    /// <summary>
    /// Exports a computation with several outputs to a file: <paramref name="forward"/> is traced with
    /// <paramref name="inputs"/>, and <paramref name="module"/> owns the state it reads, which is named by its paths
    /// in that module. For example <c>Export(model, xs => [model.Call(xs[0]), model.Head.Call(xs[0])], [x], path)</c>.
    /// </summary>
    public static OnnxModel Export(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] inputs, string path, string[]? inputNames = null,
        string[]? outputNames = null, int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null,
        bool exportParams = true, bool keepInitializersAsInputs = false)
    {
        ArgumentNullException.ThrowIfNull(forward);
        return Save(Build(module, forward, inputs, inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), path);
    }

    /// <summary>Exports a computation with several outputs to a stream; see the file overload.</summary>
    public static OnnxModel Export(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] inputs, Stream stream, string[]? inputNames = null,
        string[]? outputNames = null, int opsetVersion = DefaultOpsetVersion, Dictionary<string, Dictionary<int, string>>? dynamicAxes = null,
        bool exportParams = true, bool keepInitializersAsInputs = false)
    {
        ArgumentNullException.ThrowIfNull(forward);
        return Save(Build(module, forward, inputs, inputNames, outputNames, opsetVersion, dynamicAxes, exportParams, keepInitializersAsInputs), stream);
    }

    private static OnnxModel Save(OnnxModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        model.Save(path);
        return model;
    }

    private static OnnxModel Save(OnnxModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        model.Save(stream);
        return model;
    }

    /// <summary>The ONNX IR version that goes with an opset (ONNX's own table: opset 13 shipped with IR 7, 14 to 18 with IR 8).</summary>
    internal static long IrVersionFor(int opset) => opset <= 13 ? 7 : 8;

    /// <summary>Traces, lowers and assembles the model.</summary>
    internal static OnnxModel Build(Module module, Func<Tensor[], Tensor[]>? forward, Tensor[] inputs, string[]? inputNames, string[]? outputNames,
        int opset, Dictionary<string, Dictionary<int, string>>? dynamicAxes, bool exportParams, bool keepInitializersAsInputs)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new OnnxExportException("Export needs at least one example input to trace the forward pass with.");
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new OnnxExportException($"Example input {i} is null.");
        if (opset is < MinOpsetVersion or > MaxOpsetVersion)
            throw new OnnxExportException($"opsetVersion {opset} is not supported: Nabla exports opsets {MinOpsetVersion} to {MaxOpsetVersion}.");
        forward ??= xs => [module.Call(xs)];
        var names = ExportNames.Inputs(inputNames, inputs.Length);
        var inputAxes = ExportNames.InputAxes(dynamicAxes, names, inputs);

        var (ops, versions, outputs) = ExportTrace.Run(module, forward, inputs);
        var outNames = ExportNames.Outputs(outputNames, outputs.Length, names);
        var outputAxes = ExportNames.OutputAxes(dynamicAxes, names, outNames, outputs);

        List<Tracing.TracedOp>? otherOps = null;
        Tensor[]? otherInputs = null, otherOutputs = null;
        if (inputAxes.Any(a => a.Count > 0))
        {
            otherInputs = ExportTrace.Resized(inputs, inputAxes, names);
            (otherOps, _, otherOutputs) = ExportTrace.Run(module, forward, otherInputs);
            ExportTrace.CheckAligned(ops, otherOps, module.GetType().Name);
            if (otherOutputs.Length != outputs.Length)
                throw new OnnxExportException($"The forward pass of {module.GetType().Name} returns {outputs.Length} outputs at the traced size and {otherOutputs.Length} when a dynamic axis is one larger.");
            ExportNames.AddFollowingAxes(outputAxes, outNames, outputs, otherOutputs, inputAxes, inputs, otherInputs);
        }

        var trace = new ExportTrace
        {
            Ops = ops,
            Inputs = inputs,
            InputVersions = versions,
            Outputs = outputs,
            OtherOps = otherOps,
            OtherInputs = otherInputs,
            OtherOutputs = otherOutputs,
        };
        var cx = new ExportContext(trace, module, opset, names, outNames, exportParams);
        cx.LowerAll(Lowerings.Table, outNames);
        return OnnxModel.FromProto(Assemble(cx, trace, opset, names, outNames, inputAxes, outputAxes, exportParams, keepInitializersAsInputs));
    }

    private static ModelProto Assemble(ExportContext cx, ExportTrace trace, int opset, string[] inputNames, string[] outputNames,
        IReadOnlyList<IReadOnlyDictionary<int, string>> inputAxes, IReadOnlyList<IReadOnlyDictionary<int, string>> outputAxes,
        bool exportParams, bool keepInitializersAsInputs)
    {
        var graph = new GraphProto { Name = "main_graph" };
        for (int i = 0; i < trace.Inputs.Length; i++)
            graph.Input.Add(OnnxTensorProtos.ValueInfo(inputNames[i], trace.Inputs[i].DType, trace.Inputs[i]._shape, inputAxes[i]));
        // Initializers: parameters, then buffers, then plain tensor fields, each in state order; then constants.
        var state = cx.UsedState.OrderBy(s => s.State.Order).ToArray();
        if (exportParams)
            graph.Initializer.AddRange(state.Select(s => s.Data!));
        else
            graph.Input.AddRange(state.Select(s => OnnxTensorProtos.ValueInfo(s.State.Name, s.Value.DType, s.Value._shape)));
        graph.Initializer.AddRange(cx.ConstantInitializers);
        if (keepInitializersAsInputs)
            graph.Input.AddRange(graph.Initializer.Select(t => new ValueInfoProto
            {
                Name = t.Name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = t.DataType, Shape = Shape(t.Dims) } },
            }).ToArray());
        graph.Node.AddRange(cx.Nodes);
        for (int i = 0; i < trace.Outputs.Length; i++)
            graph.Output.Add(OnnxTensorProtos.ValueInfo(outputNames[i], trace.Outputs[i].DType, trace.Outputs[i]._shape, outputAxes[i]));

        var model = new ModelProto
        {
            IrVersion = IrVersionFor(opset),
            ProducerName = "nabla",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static TensorShapeProto Shape(IEnumerable<long> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return shape;
    }
}
