/// Reason phrases and error codes of the statuses the server and service use.
enum HTTPStatus {
    /// `OK` for 200; `Unknown` for a status not listed (the phrase carries no meaning, RFC 9112 §4).
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }

    /// The snake-case code in JSON error bodies: `bad_request` for 400.
    static func code(_ status: Int) -> String {
        switch status {
        case 408: "request_timeout"
        case 413: "content_too_large"
        case 414: "uri_too_long"
        case 431: "header_fields_too_large"
        case 501: "not_implemented"
        case 503: "service_unavailable"
        case 505: "http_version_not_supported"
        default: "bad_request"
        }
    }

    /// Whether a response with this status has no body and no Content-Length (RFC 9110 §6.4.1).
    static func hasNoContent(_ status: Int) -> Bool {
        status < 200 || status == 204 || status == 304
    }
}
