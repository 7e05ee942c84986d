using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;

namespace Kissmetrics.Typed.Benchmarks;

/// <summary>
/// Two or more builds of this project side by side in one process, each in its own load context, the serializer loop
/// (<see cref="Profile"/>) run in turn in short slices: on a shared machine whose speed drifts by tens of per cent
/// from one minute to the next, every build sees the same drift, so the ratio of their medians holds where separate
/// runs do not. For A/B checks of a change (build the other commit into another folder first), not for the tables.
/// </summary>
public static class Compare
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: compare <build folder> <build folder> [...] [--rounds N] [--slice seconds] [--shape small|ten|order]");
            return 2;
        }

        int rounds = 60;
        string slice = "0.1";
        string shape = "ten";
        var folders = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds":
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--slice":
                    slice = args[++i];
                    break;
                case "--shape":
                    shape = args[++i];
                    break;
                default:
                    folders.Add(Path.GetFullPath(args[i]));
                    break;
            }
        }

        MethodInfo[] loops = folders.Select(LoadProfile).ToArray();
        var times = folders.Select(_ => new List<double>()).ToArray();
        TextWriter console = Console.Out;
        for (int round = 0; round < rounds; round++)
        {
            Console.Error.Write($"\rround {round + 1} of {rounds}");
            for (int build = 0; build < loops.Length; build++)
            {
                var captured = new StringWriter(CultureInfo.InvariantCulture);
                Console.SetOut(captured);
                try
                {
                    loops[build].Invoke(null, [new[] { slice, shape }]);
                }
                finally
                {
                    Console.SetOut(console);
                }

                Match wall = Regex.Match(captured.ToString(), @"([0-9.]+) ns wall clock");
                times[build].Add(double.Parse(wall.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        Console.Error.WriteLine();

        // The first rounds run while the JIT is still tiering the code up.
        double[] medians = times.Select(t => Median(t.Skip(Math.Min(2, t.Count - 1)))).ToArray();
        for (int build = 0; build < folders.Count; build++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{folders[build]}: median {medians[build]:0.0} ns per '{shape}' call, {medians[build] / medians[0]:0.00}x the first"));
        }

        return 0;
    }

    private static MethodInfo LoadProfile(string folder)
    {
        var context = new BuildContext(folder);
        Assembly benchmarks = context.LoadFromAssemblyPath(Path.Combine(folder, "Kissmetrics.Typed.Benchmarks.dll"));
        return benchmarks.GetType(typeof(Profile).FullName!, throwOnError: true)!.GetMethod(nameof(Profile.Run))!;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Loads a build's own assemblies (this project, the runtime, their dependencies) from its folder; the framework from the default context.</summary>
    private sealed class BuildContext : AssemblyLoadContext
    {
        private readonly string _folder;

        public BuildContext(string folder)
            : base(folder)
        {
            _folder = folder;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) && !IsFramework(assemblyName.Name!) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsFramework(string name) =>
            name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name == "netstandard" || name == "mscorlib";
    }
}
