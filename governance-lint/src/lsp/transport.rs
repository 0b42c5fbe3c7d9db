//! JSON-RPC over standard input and output, framed with `Content-Length` headers.
//!
//! `lsp_server`'s own stdio transport stops reading at the first message it cannot parse; a
//! language server must not stop serving because a client (or a person typing into a pipe)
//! sent one bad message. So this reader answers a payload that is not JSON with a parse
//! error (`-32700`), and JSON that is not a message with an invalid request (`-32600`), and
//! goes on with the next frame. A frame that cannot even be delimited (a header line without
//! `: `, no `Content-Length`) is skipped up to the next blank line. Messages are still
//! `lsp_server::Message`s, written by `Message::write`.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use lsp_server::Message;

/// The largest message read (a 16 MiB contract, escaped, with room to spare); a longer one
/// is skipped and answered with an error.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What the reader hands the server.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A frame that was not a message: the error response to send (the id is known when
    /// the JSON had one).
    Malformed {
        id: Option<serde_json::Value>,
        code: i32,
        message: String,
    },
}

/// What the server sends.
#[derive(Debug)]
pub enum Outgoing {
    Message(Message),
    /// A response whose id is not a `RequestId` (`null`, or an id of another type).
    Raw(serde_json::Value),
}

/// The reader and writer threads and their channels.
pub struct Transport {
    pub incoming: Receiver<Incoming>,
    pub outgoing: Sender<Outgoing>,
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Standard input and output.
    pub fn stdio() -> io::Result<Self> {
        let (in_tx, incoming) = mpsc::channel();
        let (outgoing, out_rx) = mpsc::channel::<Outgoing>();
        let reader = thread::Builder::new()
            .name("lsp-reader".to_owned())
            .spawn(move || {
                let stdin = io::stdin();
                let mut input = stdin.lock();
                read_all(&mut input, &in_tx)
            })?;
        let writer = thread::Builder::new()
            .name("lsp-writer".to_owned())
            .spawn(move || {
                let stdout = io::stdout();
                let mut output = stdout.lock();
                for message in out_rx {
                    write(&mut output, &message)?;
                }
                Ok(())
            })?;
        Ok(Self {
            incoming,
            outgoing,
            reader,
            writer,
        })
    }

    /// Waits for the writer to send everything queued. The reader is not waited for: after
    /// `exit` it may still be blocked on standard input, and the process is about to end.
    pub fn finish(self) -> io::Result<()> {
        let Self {
            incoming,
            outgoing,
            reader,
            writer,
        } = self;
        drop(outgoing);
        drop(incoming);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread failed")));
        if reader.is_finished() {
            if let Ok(Err(error)) = reader.join() {
                if error.kind() != io::ErrorKind::BrokenPipe {
                    return Err(error);
                }
            }
        }
        written
    }
}

fn write(out: &mut impl Write, message: &Outgoing) -> io::Result<()> {
    match message {
        Outgoing::Message(message) => message.write(out),
        Outgoing::Raw(value) => {
            let text = serde_json::to_string(value)?;
            write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
            out.write_all(text.as_bytes())?;
            out.flush()
        }
    }
}

/// Reads frames until the end of input (or until the server stops listening).
pub fn read_all(input: &mut impl BufRead, to: &Sender<Incoming>) -> io::Result<()> {
    loop {
        let incoming = match read_frame(input)? {
            Frame::End => return Ok(()),
            Frame::Broken(reason) => Incoming::Malformed {
                id: None,
                code: lsp_server::ErrorCode::ParseError as i32,
                message: reason,
            },
            Frame::Body(body) => parse(&body),
        };
        let exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if to.send(incoming).is_err() || exit {
            return Ok(());
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    /// A frame that could not be read as one: why. The input is positioned after it.
    Broken(String),
    End,
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut broken: Option<String> = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(if any_header {
                Frame::Broken("the input ended inside a message header".to_owned())
            } else {
                Frame::End
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !any_header {
                // Blank lines between frames are tolerated.
                continue;
            }
            break;
        }
        any_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length =
                    Some(value.trim().parse::<usize>().map_err(|_| {
                        format!("`Content-Length: {}` is not a length", value.trim())
                    }));
            }
            Some(_) => {}
            None => {
                broken.get_or_insert_with(|| format!("malformed message header `{text}`"));
            }
        }
    }
    if let Some(reason) = broken {
        return Ok(Frame::Broken(reason));
    }
    let length = match length {
        None => {
            return Ok(Frame::Broken(
                "a message without `Content-Length`".to_owned(),
            ))
        }
        Some(Err(reason)) => return Ok(Frame::Broken(reason)),
        Some(Ok(length)) => length,
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Broken(format!(
            "a message of {length} bytes, over the {MAX_MESSAGE_BYTES} this server reads"
        )));
    }
    let mut body = Vec::new();
    input.take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(Frame::Broken(
            "the input ended inside a message body".to_owned(),
        ));
    }
    Ok(Frame::Body(body))
}

/// A message, or the error that answers a payload that is none.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Malformed {
                id: None,
                code: lsp_server::ErrorCode::ParseError as i32,
                message: format!("the message is not JSON: {error}"),
            }
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            id,
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: format!("not a JSON-RPC request, response or notification: {error}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Incoming> {
        let (tx, rx) = mpsc::channel();
        let mut reader = io::BufReader::new(input.as_bytes());
        read_all(&mut reader, &tx).unwrap();
        drop(tx);
        rx.into_iter().collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"bogus":true}"#),
            "Content-Type: x\r\n\r\n".to_owned(),
            "garbage\r\n\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        ]
        .concat();
        let got = frames(&input);
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(matches!(&got[0], Incoming::Malformed { code: -32700, .. }));
        assert!(
            matches!(&got[1], Incoming::Malformed { code: -32600, id: Some(id), .. } if id == 7)
        );
        assert!(matches!(&got[2], Incoming::Malformed { code: -32700, .. }));
        assert!(matches!(&got[3], Incoming::Malformed { code: -32700, .. }));
        assert!(
            matches!(&got[4], Incoming::Message(Message::Request(r)) if r.method == "shutdown")
        );
    }

    #[test]
    fn a_truncated_body_ends_the_input() {
        let got = frames("Content-Length: 100\r\n\r\n{}");
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Incoming::Malformed { .. }));
    }
}
