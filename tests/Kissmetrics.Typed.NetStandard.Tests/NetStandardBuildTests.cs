using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests;

/// <summary>That this project really tests the netstandard2.0 build, and that it has the public API of the .NET one.</summary>
public sealed class NetStandardBuildTests
{
    // Members whose signature uses a type netstandard2.0 has not: they exist on .NET only.
    private static readonly string[] s_dotnetOnlyTypes = ["System.DateOnly"];

    // A derived record's compiler-generated clone returns its own type where the runtime has covariant returns (.NET)
    // and its base's on netstandard2.0; it cannot be called from C# either way, so its return type is left out.
    private const string RecordClone = "<Clone>$";

    private static Assembly Runtime => typeof(KissmetricsWriter).Assembly;

    [Fact]
    public void The_loaded_runtime_is_the_netstandard2_0_build()
    {
        Assert.Equal(".NETStandard,Version=v2.0", Runtime.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);
    }

    [Fact]
    public void The_public_api_is_the_net10_builds_minus_members_of_types_netstandard_lacks()
    {
        string net10 = Path.Combine(
            Path.GetDirectoryName(Runtime.Location)!, // the netstandard2.0 assembly copied next to the tests
            Metadata("RuntimeNet10Path"));
        Assert.True(File.Exists(net10), $"The net10.0 build is not at {net10}: build the solution first.");

        string[] netStandard = PublicSurface(Runtime.Location).ToArray();
        string[] dotnet = PublicSurface(net10).Where(member => !s_dotnetOnlyTypes.Any(member.Contains)).ToArray();

        Assert.Equal(string.Empty, string.Join("\n", dotnet.Except(netStandard))); // missing on netstandard2.0
        Assert.Equal(string.Empty, string.Join("\n", netStandard.Except(dotnet))); // only on netstandard2.0
        Assert.NotEmpty(netStandard);
    }

    private static string Metadata(string key) =>
        typeof(NetStandardBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Every public type and its public and protected members, with their signatures, sorted.</summary>
    private static IEnumerable<string> PublicSurface(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var provider = new SignatureNames(reader);
        var surface = new SortedSet<string>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            string name = provider.GetTypeFromDefinition(reader, handle, 0);
            surface.Add($"type {name} : {(type.BaseType.IsNil ? "-" : provider.Name(type.BaseType))}");
            foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
            {
                surface.Add($"{name} implements {provider.Name(reader.GetInterfaceImplementation(implementation).Interface)}");
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (IsPublicOrProtected(method.Attributes & MethodAttributes.MemberAccessMask))
                {
                    MethodSignature<string> signature = method.DecodeSignature(provider, null);
                    string methodName = reader.GetString(method.Name);
                    string returns = methodName == RecordClone ? "(covariant)" : signature.ReturnType;
                    surface.Add($"{name}.{methodName}({string.Join(", ", signature.ParameterTypes)}) : {returns}");
                }
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                FieldAttributes access = field.Attributes & FieldAttributes.FieldAccessMask;
                if (access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem)
                {
                    surface.Add($"{name}.{reader.GetString(field.Name)} : {field.DecodeSignature(provider, null)}");
                }
            }
        }

        return surface;
    }

    private static bool IsPublicOrProtected(MethodAttributes access) =>
        access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (visibility == TypeAttributes.Public)
        {
            return true;
        }

        if (visibility is TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)
        {
            return IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        return false;
    }

    /// <summary>Type names from signatures, the same text for both builds (assembly names left out: they differ by target).</summary>
    private sealed class SignatureNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string Name(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0),
            HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0),
            HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            _ => handle.Kind.ToString(),
        };

        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(", ", typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => $"{unmodifiedType} mod({modifier})";

        public string GetPinnedType(string elementType) => elementType + " pinned";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            string name = metadata.GetString(type.Name);
            return type.GetDeclaringType().IsNil
                ? $"{metadata.GetString(type.Namespace)}.{name}"
                : $"{GetTypeFromDefinition(metadata, type.GetDeclaringType(), rawTypeKind)}+{name}";
        }

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = metadata.GetTypeReference(handle);
            string name = metadata.GetString(type.Name);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? $"{GetTypeFromReference(metadata, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind)}+{name}"
                : $"{metadata.GetString(type.Namespace)}.{name}";
        }

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
