import AssayCore
import AsyncHTTPClient
import NIOCore

extension HTTPClient.Body {
    /// A prepared request's body streamed from its prompt file (issue 34): written a piece at
    /// a time as the connection takes it, so that an attempt holds one piece of a long
    /// prompt, not the whole; the file is read anew by every attempt. Its length is known
    /// (`Content-Length`), as for a body sent whole.
    static func streamed(_ prepared: PreparedRequest) -> HTTPClient.Body {
        .stream(contentLength: Int64(prepared.bodyLength)) { writer in
            let reader: PreparedRequest.BodyReader
            do {
                reader = try PreparedRequest.BodyReader(prepared)
            } catch {
                // The stream is only ever started on an event loop; a write gives us one.
                return writer.write(.byteBuffer(ByteBuffer())).flatMapThrowing { throw error }
            }
            /// Writes the next piece, then the rest from a new turn of the event loop (no
            /// recursion through futures that complete at once).
            @Sendable func rest(on loop: any EventLoop) -> EventLoopFuture<Void> {
                let piece: [UInt8]?
                do {
                    piece = try reader.next()
                } catch {
                    return loop.makeFailedFuture(error)
                }
                guard let piece else { return loop.makeSucceededVoidFuture() }
                return writer.write(.byteBuffer(ByteBuffer(bytes: piece))).flatMap {
                    let promise = loop.makePromise(of: Void.self)
                    loop.execute { rest(on: loop).cascade(to: promise) }
                    return promise.futureResult
                }
            }
            guard let first = try? reader.next() else {
                return writer.write(.byteBuffer(ByteBuffer())).flatMapThrowing {
                    throw InputError("cannot read a prompt file")
                }
            }
            let written = writer.write(.byteBuffer(ByteBuffer(bytes: first)))
            return written.flatMap { rest(on: written.eventLoop) }
        }
    }
}
