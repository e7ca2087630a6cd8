@testable import Curl
import Testing

/// Reading S3's answers: listing pages, error documents, times, request encoding.
@Suite struct S3ResponseTests {
    @Test("a listing page gives its objects, decoded keys and the continuation token; common prefixes are not objects")
    func listingPage() throws {
        let page = try #require(S3ListingPage(Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>in%2F</Prefix>
            <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken><IsTruncated>true</IsTruncated>
            <Contents><Key>in%2Fa+b%2Bc.csv</Key><LastModified>2026-11-29T09:13:22.500Z</LastModified>
            <ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag><Size>5</Size></Contents>
            <Contents><Key>in%2F%FF.csv</Key><LastModified>2026-11-29T09:13:22.000Z</LastModified><Size>7</Size></Contents>
            <CommonPrefixes><Prefix>in%2Fsub%2F</Prefix></CommonPrefixes></ListBucketResult>
            """.utf8)))
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        #expect(page.objects == [
            .init(key: Array("in/a b+c.csv".utf8), size: 5, modified: 1_795_943_602.5, eTag: "5d41402abc4b2a76b9719d911017c592"),
            .init(key: Array("in/".utf8) + [0xFF] + Array(".csv".utf8), size: 7, modified: 1_795_943_602),
        ])
    }

    @Test("what is not a listing is refused", arguments: ["", "<Error><Code>AccessDenied</Code></Error>", "<ListBucketResult><Contents>"])
    func notListing(_ text: String) {
        #expect(S3ListingPage(Array(text.utf8)) == nil)
    }

    @Test(
        "S3's error codes map to what the daemon should do",
        arguments: [
            (403, "SignatureDoesNotMatch", "AUTHENTICATION_FAILED"), (403, "InvalidAccessKeyId", "AUTHENTICATION_FAILED"),
            (403, "AccessDenied", "AUTHENTICATION_FAILED"), (503, "SlowDown", "CONNECTION_FAILED"),
            (500, "InternalError", "CONNECTION_FAILED"), (502, nil, "CONNECTION_FAILED"), (404, "NoSuchKey", "FILE_NOT_FOUND"),
            (404, nil, "FILE_NOT_FOUND"), (404, "NoSuchBucket", "BUCKET_NOT_FOUND"), (400, "InvalidPart", "TRANSFER_FAILED"),
            (403, nil, "AUTHENTICATION_FAILED"),
        ] as [(Int, String?, String)])
    func errorCodes(status: Int, code: String?, expected: String) {
        let body = code.map { "<?xml version=\"1.0\"?><Error><Code>\($0)</Code><Message>It &amp; failed</Message></Error>" } ?? ""
        let error = S3ErrorResponse(status: status, body: Array(body.utf8)).error(doing: "list s3://b/in/", bucket: "b")
        #expect(error.code == expected)
        #expect(error.message.hasPrefix("list s3://b/in/: "))
        if let code, code != "NoSuchBucket" { #expect(error.message.contains("\(code): It & failed")) }
    }

    @Test("an error document inside a 200 answer is recognised")
    func errorInSuccess() {
        #expect(S3ErrorResponse.isError(Array("<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code></Error>".utf8)))
        #expect(!S3ErrorResponse.isError(Array("<CopyObjectResult><ETag>x</ETag></CopyObjectResult>".utf8)))
    }

    @Test("HTTP dates and ISO 8601 times read as seconds since 1970")
    func times() {
        #expect(S3Timestamp.httpDate("Sun, 29 Nov 2026 09:13:22 GMT") == 1_795_943_602)
        #expect(S3Timestamp.iso8601("1970-01-01T00:00:00.000Z") == 0)
        #expect(S3Timestamp.iso8601("2000-03-01T00:00:00Z") == 951_868_800)
        #expect(S3Timestamp.httpDate("yesterday") == nil)
    }

    @Test("keys and query values are encoded as Signature V4 signs them, the query sorted")
    func requestEncoding() {
        let request = S3Request(
            method: .get, key: "in/a b+c=d~é.csv", query: [("prefix", "in/"), ("delimiter", "/"), ("list-type", "2")])
        #expect(request.pathAndQuery == "/in/a%20b%2Bc%3Dd~%C3%A9.csv?delimiter=%2F&list-type=2&prefix=in%2F")
    }
}
