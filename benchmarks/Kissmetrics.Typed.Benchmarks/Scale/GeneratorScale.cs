namespace Kissmetrics.Typed.Benchmarks.Scale;

public static class GeneratorScale
{
    public static int Run(string[] args) => 0;
}
