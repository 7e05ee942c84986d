using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Kissmetrics.Typed.Internal;

namespace Kissmetrics.Typed.Tool.Export;

/// <summary>A built assembly whose plan cannot be read: missing, not loadable, or without a plan class.</summary>
internal sealed class PlanSourceException(string message) : Exception(message);

/// <summary>
/// Reads the plan the generator compiled into a built assembly: loads it in a collectible load context and calls its
/// <c>KissmetricsTrackingPlan.ToJson()</c> (<see cref="TrackingPlanFormat.PlanClass"/>). The plan is code, not data:
/// the generated class lists the facts and the runtime's <c>TrackingPlanWriter</c> lays them out, so running it gives
/// byte for byte what the application's own <c>ToJson()</c> gives.
/// </summary>
internal static class AssemblyPlanLoader
{
    /// <summary>The plan of the assembly at <paramref name="assemblyPath"/>, as indented JSON.</summary>
    /// <param name="assemblyPath">The built assembly.</param>
    /// <param name="references">Assemblies it was compiled against (a project's <c>ReferencePath</c>), for the ones a library's output folder does not hold.</param>
    public static string Load(string assemblyPath, IReadOnlyList<string>? references = null)
    {
        string fullPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(fullPath))
        {
            throw new PlanSourceException(assemblyPath + ": no such assembly; build the project first, or pass --project");
        }

        var context = new PlanLoadContext(fullPath, references ?? []);
        try
        {
            Assembly assembly;
            try
            {
                assembly = context.LoadFromPath(fullPath);
            }
            catch (BadImageFormatException)
            {
                throw new PlanSourceException(assemblyPath + ": not a .NET assembly");
            }

            MethodInfo toJson = FindToJson(assemblyPath, assembly);
            try
            {
                return (string)toJson.Invoke(null, null)!;
            }
            catch (TargetInvocationException exception) when (exception.InnerException is { } inner)
            {
                throw new PlanSourceException(assemblyPath + ": " + TrackingPlanFormat.PlanClass + "." + TrackingPlanFormat.ToJsonMethod + "() failed: "
                    + inner.GetType().Name + ": " + inner.Message);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static MethodInfo FindToJson(string assemblyPath, Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            // Types that need an assembly this process cannot find (ASP.NET Core in a web app, say) are not the
            // plan class, which needs only the runtime and System.Text.Json.
            types = exception.Types;
        }

        List<MethodInfo> candidates = types
            .Where(type => type is { Name: TrackingPlanFormat.PlanClass, IsAbstract: true, IsSealed: true })
            .Select(type => type!.GetMethod(TrackingPlanFormat.ToJsonMethod, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes))
            .Where(method => method is not null && method.ReturnType == typeof(string))
            .ToList()!;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new PlanSourceException(assemblyPath + ": no " + TrackingPlanFormat.PlanClass + " class: the assembly has no [KissmetricsEvent] (or traits, page, screen) types, "
                + "or its project sets KissmetricsGenerateTrackingPlan to false"),
            _ => throw new PlanSourceException(assemblyPath + ": " + candidates.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " "
                + TrackingPlanFormat.PlanClass + " classes (" + string.Join(", ", candidates.Select(method => method.DeclaringType!.FullName)) + "); expected one"),
        };
    }

    /// <summary>
    /// Resolves the assembly's dependencies next to it (an application's output holds them all), then among the
    /// given references, then through its <c>.deps.json</c> in the NuGet packages folder (a library's output holds
    /// only itself); the framework's own assemblies come from this process. Files are read into memory, so a build
    /// can overwrite them while the context lives.
    /// </summary>
    private sealed class PlanLoadContext : AssemblyLoadContext
    {
        private readonly Dictionary<string, string> _candidates = new(StringComparer.OrdinalIgnoreCase);

        public PlanLoadContext(string assemblyPath, IReadOnlyList<string> references)
            : base("kissmetrics-plan:" + Path.GetFileName(assemblyPath), isCollectible: true)
        {
            string directory = Path.GetDirectoryName(assemblyPath)!;
            foreach (string file in Directory.EnumerateFiles(directory, "*.dll"))
            {
                _candidates.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }

            foreach (string reference in references.Where(File.Exists))
            {
                _candidates.TryAdd(Path.GetFileNameWithoutExtension(reference), reference);
            }

            foreach (string file in FromDepsJson(Path.ChangeExtension(assemblyPath, ".deps.json")))
            {
                _candidates.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
        }

        public Assembly LoadFromPath(string path)
        {
            using var stream = new MemoryStream(File.ReadAllBytes(path));
            return LoadFromStream(stream);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // The framework's assemblies are this process's (the tool runs on the newest runtime): a copy of
            // System.Runtime or System.Text.Json in a library's references is a reference assembly, not loadable.
            if (assemblyName.Name is not { } name || IsFramework(name))
            {
                return null;
            }

            return _candidates.TryGetValue(name, out string? path) ? LoadFromPath(path) : null;
        }

        private static bool IsFramework(string name)
        {
            try
            {
                return Default.LoadFromAssemblyName(new AssemblyName(name)) is not null;
            }
            catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                return false;
            }
        }

        private static IEnumerable<string> FromDepsJson(string depsJson)
        {
            if (!File.Exists(depsJson))
            {
                return [];
            }

            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var files = new List<string>();
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(depsJson));
                JsonElement root = document.RootElement;
                if (!root.TryGetProperty("targets", out JsonElement targets) || !root.TryGetProperty("libraries", out JsonElement libraries))
                {
                    return [];
                }

                foreach (JsonProperty target in targets.EnumerateObject())
                {
                    foreach (JsonProperty library in target.Value.EnumerateObject())
                    {
                        if (!library.Value.TryGetProperty("runtime", out JsonElement runtime)
                            || !libraries.TryGetProperty(library.Name, out JsonElement info)
                            || !info.TryGetProperty("path", out JsonElement libraryPath) || libraryPath.GetString() is not { } relative)
                        {
                            continue;
                        }

                        foreach (JsonProperty asset in runtime.EnumerateObject())
                        {
                            string file = Path.Combine(packages, relative, asset.Name);
                            if (File.Exists(file))
                            {
                                files.Add(file);
                            }
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // A damaged deps.json only loses this fallback; the other two places still resolve.
            }

            return files;
        }
    }
}
