using Nabla.NN;

namespace Nabla.Tests.Core;

// The modules of tests/goldens/gen_core.py, field for field (declaration order = PyTorch's assignment order).

internal sealed class Block : Module
{
    public Linear fc;
    public Parameter scale;

    public Block()
    {
        RegisterBuffer("steps", Torch.Tensor(0));
        fc = new Linear(2, 2);
        scale = new Parameter(Torch.Ones(2));
    }
}

internal sealed class Net : Module
{
    public Linear fc1;
    public Parameter temp;
    public Block block;
    public Block shared;
    public Linear head;
    public Tensor plain = Torch.Zeros(1); // a plain tensor: not registered

    public Net()
    {
        RegisterBuffer("mean", Torch.Zeros(3)); // a buffer registered before any parameter
        fc1 = new Linear(3, 4);
        temp = new Parameter(Torch.Ones(1));
        RegisterBuffer("cache", Torch.Zeros(2), persistent: false);
        block = new Block();
        shared = block; // the same submodule under a second name
        head = new Linear(4, 2, bias: false);
        RegisterParameter("unused", null);
    }
}

internal sealed class Empty : Module;
