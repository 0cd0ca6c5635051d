using Nabla.NN;
using Nabla.Onnx;
using Nabla.Optim;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Contract;

/// <summary>
/// The code users write, exactly as the project's issues state it: these calls are the public contract, so a rename
/// or a changed argument name breaks this file at compile time, and the values it prints are checked here.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class IssueSnippetTests
{
    private sealed class ExperimentModel : Module
    {
        public Tensor my_tensor = Torch.Randn(1);                // plain tensor: NOT registered
        public Parameter my_param = new(Torch.Randn(1));         // registered automatically

        public ExperimentModel()
        {
            RegisterBuffer("my_buffer", Torch.Randn(1));
            RegisterBuffer("my_state", Torch.Tensor(42), persistent: false);
            RegisterParameter("my_registered_param", new Parameter(Torch.Randn(1)));
        }

        public override Tensor Forward(Tensor x) => x * my_tensor + my_param;
    }

    [Fact]
    public void SeedModelSnippetTrainsAsTheNotebookSays()
    {
        Torch.ManualSeed(42);
        var model = new ExperimentModel();
        Assert.Equal("ExperimentModel()", model.ToString());
        Assert.Equal(["my_param", "my_registered_param"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["my_param", "my_registered_param", "my_buffer"], model.StateDict().Keys);
        var optimizer = new SGD(model.Parameters(), lr: 1.0);
        var loss = (model.Forward(Torch.Tensor(new float[] { 1f })) - Torch.Tensor(new float[] { 0f })).Pow(2);
        loss.Backward();
        Assert.Null(model.my_tensor.Grad);
        Assert.Equal("tensor([0.9310])", model.my_param.Grad!.ToString());
        Assert.Equal("tensor([0.1288])", model.my_param.Data.ToString());
        optimizer.Step();
        Assert.Equal("tensor([-0.8022])", model.my_param.Data.ToString());
    }

    [Fact]
    public void OnnxSnippetPrintsTwoInitializersAndTwoNodes()
    {
        Torch.ManualSeed(42);
        var model = new ExperimentModel();
        var optimizer = new SGD(model.Parameters(), lr: 1.0);
        (model.Forward(Torch.Tensor(new float[] { 1f })) - Torch.Tensor(new float[] { 0f })).Pow(2).Backward();
        optimizer.Step();
        model.Eval();
        string path = Path.Combine(Path.GetTempPath(), $"nabla-snippet-{Environment.ProcessId}.onnx");
        try
        {
            OnnxExporter.Export(model, Torch.Tensor(new float[] { 1f }), path,
                inputNames: ["input_x"], outputNames: ["output"], opsetVersion: 18);
            var onnx = OnnxModel.Load(path);
            var inits = onnx.Graph.Initializers.Select(init => $"{init.Name} {init.ToTensor()} {string.Join(",", init.Dims)} {(int)init.DataType}");
            Assert.Equal(["my_param tensor([-0.8022]) 1 1", "my_tensor tensor([0.3367]) 1 1"], inits);
            var nodes = onnx.Graph.Nodes.Select(node => $"{node.OpType} {string.Join(",", node.Inputs)} -> {string.Join(",", node.Outputs)}");
            Assert.Equal(["Mul input_x,my_tensor -> mul", "Add mul,my_param -> output"], nodes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LayerFunctionsTakeTheIssueArgumentNames()
    {
        Torch.ManualSeed(0);
        var x = Torch.Randn(2, 3, 8, 8);
        var w = Torch.Randn(4, 3, 3, 3);
        var y = F.Conv2d(x, w, null, stride: 1, padding: 1, dilation: 1, groups: 1);
        Assert.Equal([2L, 4, 8, 8], y.Shape);
        Assert.Equal([2L, 4, 4, 4], F.MaxPool2d(y, 2).Shape);
        Assert.Equal([2L, 4, 4, 4], F.AvgPool2d(y, 3, stride: 2, padding: 1, ceilMode: false, countIncludePad: true).Shape);
        Assert.Equal([2L, 4, 1, 1], F.AdaptiveAvgPool2d(y, 1).Shape);
        Assert.Equal([2L, 4, 8, 8], F.Dropout(y, 0.5, training: false).Shape);
        var emb = F.Embedding(Torch.Tensor(new long[] { 0, 2 }), Torch.Randn(3, 5), paddingIdx: 0);
        Assert.Equal([2L, 5], emb.Shape);
        var ln = F.LayerNorm(emb, 5, Torch.Ones(5), Torch.Zeros(5), eps: 1e-5);
        Assert.Equal([2L, 5], ln.Shape);
        var bn = F.BatchNorm(y, Torch.Zeros(4), Torch.Ones(4), Torch.Ones(4), Torch.Zeros(4), training: true, momentum: 0.1, eps: 1e-5);
        Assert.Equal([2L, 4, 8, 8], bn.Shape);
        Assert.Equal([2L, 5], F.Softmax(ln, dim: 1).Shape);
        Assert.Equal("BatchNorm2d", new BatchNorm2d(4).GetType().Name);
        Assert.Equal("MSELoss", new MSELoss().GetType().Name);
    }

    [Fact]
    public void OptimizerSnippetsTakeTheIssueArgumentNames()
    {
        var w = new Parameter(Torch.Ones(2));
        var b = new Parameter(Torch.Zeros(2));
        var sgd = new SGD(new ParamGroup[] { new([w]) { Lr = 0.1 }, new([b]) { ["momentum"] = 0.9 } }, lr: 0.05);
        Assert.Equal(0.1, sgd.ParamGroups[0].Lr);
        Assert.Equal(0.05, sgd.ParamGroups[1].Lr);
        Assert.Equal(0.9, sgd.ParamGroups[1].GetDouble("momentum"));
        Assert.Equal(0.0, sgd.ParamGroups[0].GetDouble("weight_decay"));
        sgd.ZeroGrad(setToNone: true);

        var adam = new Adam([w, b], lr: 1e-3, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false);
        var step = new StepLR(adam, stepSize: 2, gamma: 0.5);
        step.Step();
        step.Step();
        Assert.Equal(5e-4, step.GetLastLr()[0], 12);
        var plateau = new ReduceLROnPlateau(new SGD([w], lr: 1.0), mode: "min", factor: 0.5, patience: 0, threshold: 1e-4, cooldown: 0, minLr: 0);
        plateau.Step(1.0);
        plateau.Step(2.0);
        Assert.Equal(0.5, plateau.GetLastLr()[0]);

        w.Grad = Torch.Tensor(new float[] { 3f, 4f });
        var total = Utils.ClipGradNorm_([w], maxNorm: 1.0, normType: 2.0);
        Assert.Equal(5f, total.Item<float>());
    }
}
