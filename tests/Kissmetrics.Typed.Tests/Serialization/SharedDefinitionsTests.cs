using System.Text;
using Kissmetrics.Typed.Internal;
using Kissmetrics.Typed.Serialization;
using Xunit;

namespace Kissmetrics.Typed.Tests.Serialization;

/// <summary>
/// The runtime keeps some shared definitions (src/Shared) in a second, faster form: names pre-encoded as <c>u8</c>
/// literals, the unreserved set as a lookup table and range checks. Each such form is pinned here to its one home.
/// </summary>
public sealed class SharedDefinitionsTests
{
    [Fact]
    public void Pre_encoded_ids_are_the_shared_names_percent_encoded()
    {
        Assert.Equal(PercentEncoding.Encode(KissmetricsWireNames.IdentifyId), Encoding.ASCII.GetString(KissmetricsFormatter.EncodedIdentifyId.ToArray()));
        Assert.Equal(PercentEncoding.Encode(KissmetricsWireNames.GroupId), Encoding.ASCII.GetString(KissmetricsFormatter.EncodedGroupId.ToArray()));
    }

    [Fact]
    public void Every_form_of_the_unreserved_set_agrees_with_its_definition_for_every_byte()
    {
        for (int value = 0; value < 256; value++)
        {
            bool expected = PercentEncoding.UnreservedAscii.IndexOf((char)value) >= 0;
            Assert.True(expected == PercentEncoding.IsUnreserved((byte)value), "PercentEncoding.IsUnreserved(" + value + ")");
            bool inTable = value < PercentEncoder.UnreservedTable.Length && PercentEncoder.UnreservedTable[value] != 0;
            Assert.True(expected == inTable, "PercentEncoder.UnreservedTable[" + value + "]");
            Assert.Equal(expected ? -1 : 0, PercentEncoder.IndexOfReserved(new[] { (byte)value }));
            Assert.Equal(expected ? -1 : 0, PercentEncoder.IndexOfReserved(new[] { (char)value }));
        }
    }
}
