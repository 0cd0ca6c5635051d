using System.Diagnostics;
using CharGpt;
using Nabla;
using Nabla.NN;
using Nabla.Onnx;
using Nabla.Optim;
using F = Nabla.NN.Functional;

// Trains a small GPT on Pride and Prejudice, one character at a time, then samples a continuation and exports the model to ONNX.
// Options (all optional): --steps N, --seconds S (a cap on training time), --d-model D, --layers L, --lr X.
var options = Options.Parse(args);
int maxSteps = (int)options.Get("steps", 800);
double maxSeconds = options.Get("seconds", 150);
long dModel = (long)options.Get("d-model", 96), layers = (long)options.Get("layers", 2);
double lr = options.Get("lr", 3e-3);
const int Block = 64, Batch = 32, EvalEvery = 100, EvalBatches = 8;
const long Heads = 4;

Torch.ManualSeed(1337);
var random = new Random(1337);
var corpus = new CharCorpus(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "pride-and-prejudice.txt")));
var model = new Gpt(corpus.VocabSize, Block, dModel, Heads, layers);
long parameterCount = model.Parameters().Sum(p => p.Numel());
Console.WriteLine($"{corpus.TrainLength:N0} training and {corpus.ValLength:N0} validation characters, vocabulary {corpus.VocabSize}; {parameterCount:N0} parameters");
var optimizer = new AdamW(model.Parameters(), lr: lr, betas: (0.9, 0.99), weightDecay: 0.01);
var scheduler = new CosineAnnealingLR(optimizer, tMax: maxSteps, etaMin: lr / 10);

double Loss(Tensor x, Tensor y) => F.CrossEntropy(model.Call(x).Reshape(-1, corpus.VocabSize), y.Reshape(-1)).Item<float>();

// The same validation windows every time, so successive lines compare.
double Evaluate()
{
    model.Eval();
    using var _ = Torch.NoGrad();
    double sum = 0;
    var evalRandom = new Random(2);
    for (int i = 0; i < EvalBatches; i++)
    {
        var (x, y) = corpus.Batch(false, Batch, Block, evalRandom);
        sum += Loss(x, y);
    }
    model.Train();
    return sum / EvalBatches;
}

// "train" is the mean training loss over the steps since the last line; "val" is measured on held-out text.
Console.WriteLine($"{"step",6} {"train",8} {"val",8} {"seconds",8}");
var clock = Stopwatch.StartNew();
int step = 0;
double trainSum = 0;
int trainCount = 0;
void Report()
{
    string train = trainCount == 0 ? "" : $"{trainSum / trainCount:F4}";
    Console.WriteLine($"{step,6} {train,8} {Evaluate(),8:F4} {clock.Elapsed.TotalSeconds,8:F1}");
    (trainSum, trainCount) = (0, 0);
}
for (; step < maxSteps && clock.Elapsed.TotalSeconds < maxSeconds; step++)
{
    if (step % EvalEvery == 0) Report();
    var (x, y) = corpus.Batch(true, Batch, Block, random);
    var loss = F.CrossEntropy(model.Call(x).Reshape(-1, corpus.VocabSize), y.Reshape(-1));
    optimizer.ZeroGrad();
    loss.Backward();
    optimizer.Step();
    scheduler.Step();
    trainSum += loss.Item<float>();
    trainCount++;
}
double val = Evaluate();
Console.WriteLine($"{step,6} {(trainCount == 0 ? "" : $"{trainSum / trainCount:F4}"),8} {val,8:F4} {clock.Elapsed.TotalSeconds,8:F1}");
Console.WriteLine($"validation loss {val:F4} nats/char after {step} steps in {clock.Elapsed.TotalSeconds:F1} s");

// Sampling: feed the last Block characters, draw the next from softmax(logits / temperature).
model.Eval();
var context = corpus.Encode("Elizabeth").ToList();
using (Torch.NoGrad())
{
    for (int i = 0; i < 400; i++)
    {
        var window = context.Skip(Math.Max(0, context.Count - Block)).ToArray();
        var logits = model.Call(Tensor.FromArray(window, [1, window.Length]));
        var last = logits.Select(1, window.Length - 1).Select(0, 0);
        context.Add(Torch.Multinomial(F.Softmax(last / 0.8, -1), numSamples: 1).ToArray<long>()[0]);
    }
}
Console.WriteLine("--- sample ---");
Console.WriteLine(corpus.Decode(context));
Console.WriteLine("--------------");

string onnxPath = Path.Combine(Path.GetTempPath(), "chargpt.onnx");
var example = Tensor.FromArray(corpus.Encode(new string('a', Block)), [1, Block]);
OnnxExporter.Export(model, example, onnxPath, inputNames: ["tokens"], outputNames: ["logits"],
    dynamicAxes: new() { ["tokens"] = new() { [0] = "batch" }, ["logits"] = new() { [0] = "batch" } });
Console.WriteLine($"exported {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes): tokens [batch, {Block}] -> logits [batch, {Block}, {corpus.VocabSize}]");
