using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Kissmetrics.Typed.DependencyInjection;

/// <summary>
/// Binds <see cref="KissmetricsOptions"/> from a configuration section by hand, one setting at a time.
/// </summary>
/// <remarks>
/// Why not <c>ConfigurationBinder</c>: its reflection path is not trim or AOT safe, and its source generator needs a
/// Binder package newer than the one an app on .NET 8 pins (CS9270 with Binder 8.0.x), which forced every .NET 8 app up
/// to the 9.0 packages. Twenty settings are short to bind by hand, work on every target (netstandard2.0 too), and a
/// value that does not parse becomes a problem that names the key and the value, reported with the other validation
/// problems when the host starts, instead of the binder's "Failed to convert configuration value".
/// The rules follow the binder's: values are read with the invariant culture, enums by name ignoring case, a key that
/// is absent leaves the default, and an empty value of a non-string setting is treated as absent.
/// </remarks>
internal static class KissmetricsOptionsBinder
{
    /// <summary>Every setting that can be bound, in the order of <see cref="KissmetricsOptions"/>, with how it is parsed.</summary>
    private static readonly Setting[] s_settings =
    [
        new(nameof(KissmetricsOptions.ApiKey), static (o, v) => { o.ApiKey = v; return true; }, bindsEmpty: true),
        new(nameof(KissmetricsOptions.Endpoint), static (o, v) => Set(Uri.TryCreate(v, UriKind.Absolute, out Uri? u), u, x => o.Endpoint = x!), "an absolute URI"),
        new(nameof(KissmetricsOptions.PrefixProperties), static (o, v) => Set(bool.TryParse(v, out bool b), b, x => o.PrefixProperties = x), "true or false"),
        new(nameof(KissmetricsOptions.TrackNamedPages), static (o, v) => Set(bool.TryParse(v, out bool b), b, x => o.TrackNamedPages = x), "true or false"),
        new(nameof(KissmetricsOptions.TrackCategorizedPages), static (o, v) => Set(bool.TryParse(v, out bool b), b, x => o.TrackCategorizedPages = x), "true or false"),
        new(nameof(KissmetricsOptions.MaxQueueLength), static (o, v) => Set(TryInt32(v, out int i), i, x => o.MaxQueueLength = x), "a whole number"),
        new(nameof(KissmetricsOptions.QueueFullMode), static (o, v) => Set(TryEnum(v, out KissmetricsQueueFullMode m), m, x => o.QueueFullMode = x), Names<KissmetricsQueueFullMode>()),
        new(nameof(KissmetricsOptions.QueueFullWaitTimeout), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.QueueFullWaitTimeout = x), "a time span such as 00:00:00.100"),
        new(nameof(KissmetricsOptions.MaxConcurrency), static (o, v) => Set(TryInt32(v, out int i), i, x => o.MaxConcurrency = x), "a whole number"),
        new(nameof(KissmetricsOptions.MinConcurrency), static (o, v) => Set(TryInt32(v, out int i), i, x => o.MinConcurrency = x), "a whole number"),
        new(nameof(KissmetricsOptions.MaxConnections), static (o, v) => Set(TryInt32(v, out int i), i, x => o.MaxConnections = x), "a whole number"),
        new(nameof(KissmetricsOptions.PipelineDepth), static (o, v) => Set(TryInt32(v, out int i), i, x => o.PipelineDepth = x), "a whole number"),
        new(nameof(KissmetricsOptions.Transport), static (o, v) => Set(TryEnum(v, out KissmetricsTransport t), t, x => o.Transport = x), Names<KissmetricsTransport>()),
        new(nameof(KissmetricsOptions.MaxQueueBytes), static (o, v) => Set(TryInt64(v, out long l), l, x => o.MaxQueueBytes = x), "a whole number of bytes"),
        new(nameof(KissmetricsOptions.SendDelay), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.SendDelay = x), "a time span such as 00:00:00.020"),
        new(nameof(KissmetricsOptions.RequestTimeout), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.RequestTimeout = x), "a time span such as 00:00:10"),
        new(nameof(KissmetricsOptions.MaxAttempts), static (o, v) => Set(TryInt32(v, out int i), i, x => o.MaxAttempts = x), "a whole number"),
        new(nameof(KissmetricsOptions.RetryBaseDelay), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.RetryBaseDelay = x), "a time span such as 00:00:00.500"),
        new(nameof(KissmetricsOptions.MaxRetryDelay), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.MaxRetryDelay = x), "a time span such as 00:00:30"),
        new(nameof(KissmetricsOptions.MaxRetryDuration), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.MaxRetryDuration = x), "a time span such as 00:02:00"),
        new(nameof(KissmetricsOptions.ShutdownTimeout), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.ShutdownTimeout = x), "a time span such as 00:00:10"),
        new(nameof(KissmetricsOptions.SpoolDirectory), static (o, v) => { o.SpoolDirectory = v; return true; }, bindsEmpty: true),
        new(nameof(KissmetricsOptions.SpoolMaxBytes), static (o, v) => Set(TryInt64(v, out long l), l, x => o.SpoolMaxBytes = x), "a whole number of bytes"),
        new(nameof(KissmetricsOptions.SpoolMaxAge), static (o, v) => Set(TryTimeSpan(v, out TimeSpan t), t, x => o.SpoolMaxAge = x), "a time span such as 7.00:00:00"),
        new(nameof(KissmetricsOptions.Validation), static (o, v) => Set(TryEnum(v, out KissmetricsValidationMode m), m, x => o.Validation = x), Names<KissmetricsValidationMode>()),
    ];

    /// <summary>The names a section may hold, for the message about a key that is none of them.</summary>
    internal static IEnumerable<string> SettingNames
    {
        get
        {
            foreach (Setting setting in s_settings)
            {
                yield return setting.Name;
            }
        }
    }

    /// <summary>
    /// Sets every setting <paramref name="section"/> holds on <paramref name="options"/>. A value that does not parse,
    /// and a key that is no setting (a typo such as <c>MaxConcurency</c> would otherwise be ignored without a word),
    /// is kept as a problem on the options, so that validation reports it with the others when the host starts.
    /// </summary>
    public static void Bind(IConfiguration section, KissmetricsOptions options)
    {
        string path = section is IConfigurationSection s ? s.Path + ":" : "";
        foreach (IConfigurationSection child in section.GetChildren())
        {
            Setting? setting = Find(child.Key);
            if (setting is null)
            {
                options.AddConfigurationProblem(
                    $"'{path}{child.Key}' is not a Kissmetrics.Typed setting; the settings are {string.Join(", ", SettingNames)} (OnViolation is set in code).");
                continue;
            }

            string? value = child.Value;
            if (value is null || (value.Length == 0 && !setting.BindsEmpty))
            {
                continue; // absent, or a section with children where a value belongs: the default stays
            }

            if (!setting.Apply(options, value))
            {
                // Only non-string settings can fail to parse, so the value shown is never the API key.
                options.AddConfigurationProblem($"'{path}{child.Key}' is '{value}', which is not {setting.Expected}.");
            }
        }
    }

    private static Setting? Find(string key)
    {
        foreach (Setting setting in s_settings)
        {
            if (string.Equals(setting.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        return null;
    }

    private static bool Set<T>(bool parsed, T value, Action<T> set)
    {
        if (parsed)
        {
            set(value);
        }

        return parsed;
    }

    private static bool TryInt32(string value, out int result) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);

    private static bool TryInt64(string value, out long result) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);

    private static bool TryTimeSpan(string value, out TimeSpan result) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out result);

    // By name only, as a user writes it: "5" is not a queue-full mode, even though Enum.TryParse would take it.
    private static bool TryEnum<TEnum>(string value, out TEnum result)
        where TEnum : struct, Enum
    {
        foreach (string name in Enum.GetNames(typeof(TEnum)))
        {
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                result = (TEnum)Enum.Parse(typeof(TEnum), name);
                return true;
            }
        }

        result = default;
        return false;
    }

    private static string Names<TEnum>()
        where TEnum : struct, Enum => "one of " + string.Join(", ", Enum.GetNames(typeof(TEnum)));

    private sealed class Setting
    {
        public Setting(string name, Func<KissmetricsOptions, string, bool> apply, string expected = "", bool bindsEmpty = false)
        {
            Name = name;
            Apply = apply;
            Expected = expected;
            BindsEmpty = bindsEmpty;
        }

        public string Name { get; }

        /// <summary>Parses the value and sets it; false when it does not parse.</summary>
        public Func<KissmetricsOptions, string, bool> Apply { get; }

        /// <summary>What a value must be, for the message when it is not.</summary>
        public string Expected { get; }

        /// <summary>Whether an empty value is a value (strings) rather than an absent one.</summary>
        public bool BindsEmpty { get; }
    }
}
