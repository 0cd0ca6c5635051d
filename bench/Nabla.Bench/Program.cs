using static TorchSharp.torch;
Console.WriteLine((ones(2) + 1).ToString(TorchSharp.TensorStringStyle.Julia));
