namespace CreditRecovery.Delivery;

/// <summary>The MIME type of a file an operator attaches, from its extension.</summary>
internal static class ContentTypes
{
    public static string Guess(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PDF" => "application/pdf",
        ".XML" => "application/xml",
        ".P7M" => "application/pkcs7-mime",
        ".TXT" => "text/plain",
        ".CSV" => "text/csv",
        ".HTML" or ".HTM" => "text/html",
        ".PNG" => "image/png",
        ".JPG" or ".JPEG" => "image/jpeg",
        ".ZIP" => "application/zip",
        ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
}
