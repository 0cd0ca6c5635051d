using SeedExperiment;

Console.OutputEncoding = System.Text.Encoding.UTF8;
SeedNotebook.Run(Console.Out, OnnxSection.Run);
