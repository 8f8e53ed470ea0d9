import CLibXML2
import Foundation

/// The schema of report.xml (namespace `urn:assay:report:1`), and validation against it
/// with libxml2's schema validator, which reads the file as a stream (a report of a million
/// items validates in flat memory).
///
/// The schema is compiled into the tool so that `assay report --validate` works anywhere;
/// `schemas/assay-report-1.xsd` in the repository is the same text (a test keeps them equal;
/// `assay report --print-schema` prints it).
public enum ReportSchema {
    public static let namespace = "urn:assay:report:1"

    /// Checks the XML file at `path`; the errors say where and what.
    public static func validate(_ path: String) -> [String] {
        let errors = ErrorCollector()
        let text = Array(xsd.utf8CString)
        let parsed: xmlSchemaPtr? = text.withUnsafeBufferPointer { buffer in
            guard let parser = xmlSchemaNewMemParserCtxt(buffer.baseAddress, Int32(buffer.count - 1)) else { return nil }
            defer { xmlSchemaFreeParserCtxt(parser) }
            return xmlSchemaParse(parser)
        }
        guard let schema = parsed else { return ["the built-in schema does not parse"] }
        defer { xmlSchemaFree(schema) }
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["cannot create a schema validator"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let unmanaged = Unmanaged.passUnretained(errors)
        xmlSchemaSetValidStructuredErrors(context, { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "invalid"
            collector.add("line \(error.pointee.line): \(message)")
        }, unmanaged.toOpaque())
        let status = xmlSchemaValidateFile(context, path, 0)
        if status != 0 && errors.messages.isEmpty { errors.add("not valid (libxml2 status \(status))") }
        return errors.messages
    }

    final class ErrorCollector {
        var messages: [String] = []
        func add(_ message: String) {
            if messages.count < 50 { messages.append(message) }
        }
    }

    public static let xsd = #"""
<?xml version="1.0" encoding="UTF-8"?>
<!--
  The XML report of an Assay run, version 1 (namespace urn:assay:report:1).
  reports/<run>/report.xml follows it; `assay report RUN validate` checks it with libxml2.
  Fields may be added within version 1 as optional attributes or elements; none is removed.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:a="urn:assay:report:1"
           targetNamespace="urn:assay:report:1"
           elementFormDefault="qualified">

  <xs:simpleType name="fraction">
    <xs:restriction base="xs:double">
      <xs:minInclusive value="0"/>
      <xs:maxInclusive value="1"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="count">
    <xs:restriction base="xs:nonNegativeInteger"/>
  </xs:simpleType>

  <xs:simpleType name="runStatus">
    <xs:restriction base="xs:string">
      <xs:enumeration value="running"/>
      <xs:enumeration value="completed"/>
      <xs:enumeration value="interrupted"/>
      <xs:enumeration value="budget_stopped"/>
      <xs:enumeration value="failed"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="itemStatus">
    <xs:restriction base="xs:string">
      <xs:enumeration value="graded"/>
      <xs:enumeration value="error"/>
      <xs:enumeration value="unsupported"/>
      <xs:enumeration value="fell_back"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="outcome">
    <xs:restriction base="xs:string">
      <xs:enumeration value="pass"/>
      <xs:enumeration value="fail"/>
      <xs:enumeration value="invalid"/>
      <xs:enumeration value="error"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:attributeGroup name="scores">
    <xs:attribute name="score" type="a:fraction"/>
    <xs:attribute name="n" type="a:count" use="required"/>
    <xs:attribute name="passed" type="a:count" use="required"/>
    <xs:attribute name="failed" type="a:count" use="required"/>
    <xs:attribute name="invalid" type="a:count" use="required"/>
    <xs:attribute name="errors" type="a:count" use="required"/>
    <xs:attribute name="unsupported" type="a:count" use="required"/>
    <xs:attribute name="fellBack" type="a:count"/>
    <xs:attribute name="retried" type="a:count"/>
    <xs:attribute name="truncated" type="a:count"/>
    <xs:attribute name="ciLower" type="a:fraction"/>
    <xs:attribute name="ciUpper" type="a:fraction"/>
  </xs:attributeGroup>

  <xs:complexType name="spend">
    <xs:attribute name="cost" type="xs:double" use="required"/>
    <xs:attribute name="currency" type="xs:string"/>
    <xs:attribute name="outputOnly" type="xs:boolean" use="required"/>
    <xs:attribute name="promptTokens" type="a:count" use="required"/>
    <xs:attribute name="completionTokens" type="a:count" use="required"/>
    <xs:attribute name="reasoningTokens" type="a:count" use="required"/>
    <xs:attribute name="cachedPromptTokens" type="a:count" use="required"/>
    <xs:attribute name="unknownUsage" type="a:count" use="required"/>
    <xs:attribute name="cached" type="a:count" use="required"/>
  </xs:complexType>

  <xs:complexType name="latency">
    <xs:attribute name="count" type="a:count" use="required"/>
    <xs:attribute name="p50" type="xs:double"/>
    <xs:attribute name="p95" type="xs:double"/>
    <xs:attribute name="p99" type="xs:double"/>
    <xs:attribute name="max" type="xs:double"/>
    <xs:attribute name="mean" type="xs:double"/>
  </xs:complexType>

  <xs:complexType name="classification">
    <xs:sequence>
      <xs:element name="label" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="name" type="xs:string" use="required"/>
          <xs:attribute name="precision" type="a:fraction"/>
          <xs:attribute name="recall" type="a:fraction"/>
          <xs:attribute name="f1" type="a:fraction"/>
          <xs:attribute name="support" type="a:count" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="confusion" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="truth" type="xs:string" use="required"/>
          <xs:attribute name="prediction" type="xs:string" use="required"/>
          <xs:attribute name="count" type="a:count" use="required"/>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="n" type="a:count" use="required"/>
    <xs:attribute name="accuracy" type="a:fraction"/>
    <xs:attribute name="macroF1" type="a:fraction"/>
  </xs:complexType>

  <xs:complexType name="ocr">
    <xs:attribute name="cer" type="xs:double"/>
    <xs:attribute name="wer" type="xs:double"/>
    <xs:attribute name="items" type="a:count" use="required"/>
    <xs:attribute name="charEdits" type="a:count" use="required"/>
    <xs:attribute name="refChars" type="a:count" use="required"/>
    <xs:attribute name="wordEdits" type="a:count" use="required"/>
    <xs:attribute name="refWords" type="a:count" use="required"/>
    <xs:attribute name="meanItemCer" type="xs:double"/>
  </xs:complexType>

  <xs:complexType name="tools">
    <xs:sequence>
      <xs:element name="mismatch" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="kind" use="required">
            <xs:simpleType>
              <xs:restriction base="xs:string">
                <xs:enumeration value="wrong_function"/>
                <xs:enumeration value="missing_parameter"/>
                <xs:enumeration value="unexpected_parameter"/>
                <xs:enumeration value="bad_type"/>
                <xs:enumeration value="bad_value"/>
                <xs:enumeration value="wrong_number_of_calls"/>
                <xs:enumeration value="unwanted_call"/>
                <xs:enumeration value="invalid_arguments"/>
              </xs:restriction>
            </xs:simpleType>
          </xs:attribute>
          <xs:attribute name="count" type="a:count" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="firstCall" type="a:latency" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="items" type="a:count" use="required"/>
    <xs:attribute name="passed" type="a:count" use="required"/>
    <xs:attribute name="calls" type="a:count" use="required"/>
    <xs:attribute name="answersWithoutCalls" type="a:count" use="required"/>
    <xs:attribute name="costPer1000" type="xs:double"/>
  </xs:complexType>

  <xs:complexType name="suiteResult">
    <xs:sequence>
      <xs:element name="spend" type="a:spend"/>
      <xs:element name="latency" type="a:latency"/>
      <xs:element name="passAtK" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="k" type="xs:positiveInteger" use="required"/>
          <xs:attribute name="value" type="a:fraction" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="classification" type="a:classification" minOccurs="0"/>
      <xs:element name="ocr" type="a:ocr" minOccurs="0"/>
      <xs:element name="tools" type="a:tools" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="id" type="xs:string" use="required"/>
    <xs:attribute name="status" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="asked"/>
          <xs:enumeration value="unsupported"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attributeGroup ref="a:scores"/>
  </xs:complexType>

  <xs:complexType name="model">
    <xs:sequence>
      <xs:element name="price" minOccurs="0">
        <xs:complexType>
          <xs:attribute name="inputPerMillion" type="xs:double"/>
          <xs:attribute name="cachedInputPerMillion" type="xs:double"/>
          <xs:attribute name="reasoningPerMillion" type="xs:double"/>
          <xs:attribute name="outputPerMillion" type="xs:double" use="required"/>
          <xs:attribute name="currency" type="xs:string" use="required"/>
          <xs:attribute name="date" type="xs:string" use="required"/>
          <xs:attribute name="source" type="xs:string" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="spend" type="a:spend"/>
      <xs:element name="latency" type="a:latency"/>
      <xs:element name="ttft" type="a:latency"/>
      <xs:element name="firstToken" type="a:latency" minOccurs="0"/>
      <xs:element name="thinking" type="a:latency" minOccurs="0"/>
      <xs:element name="error" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:attribute name="kind" type="xs:string" use="required"/>
          <xs:attribute name="count" type="a:count" use="required"/>
        </xs:complexType>
      </xs:element>
      <xs:element name="suite" type="a:suiteResult" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="id" type="xs:string" use="required"/>
    <xs:attribute name="family" type="xs:string"/>
    <xs:attribute name="fallbackFor" type="xs:string"/>
    <xs:attributeGroup ref="a:scores"/>
    <xs:attribute name="costPerCorrect" type="xs:double"/>
    <xs:attribute name="correctPerDollar" type="xs:double"/>
    <xs:attribute name="free" type="xs:boolean"/>
    <xs:attribute name="outputTokensPerSecond" type="xs:double"/>
    <xs:attribute name="onFrontier" type="xs:boolean" use="required"/>
  </xs:complexType>

  <xs:complexType name="item">
    <xs:sequence>
      <xs:element name="expected" type="xs:string" minOccurs="0"/>
      <xs:element name="output" type="xs:string" minOccurs="0"/>
      <xs:element name="extracted" type="xs:string" minOccurs="0"/>
      <xs:element name="rule" type="xs:string" minOccurs="0"/>
      <xs:element name="error" type="xs:string" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="model" type="xs:string" use="required"/>
    <xs:attribute name="suite" type="xs:string" use="required"/>
    <xs:attribute name="case" type="xs:string" use="required"/>
    <xs:attribute name="epoch" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="status" type="a:itemStatus" use="required"/>
    <xs:attribute name="outcome" type="a:outcome"/>
    <xs:attribute name="score" type="xs:double" use="required"/>
    <xs:attribute name="cost" type="xs:double"/>
    <xs:attribute name="ttftMs" type="xs:double"/>
    <xs:attribute name="firstReasoningMs" type="xs:double"/>
    <xs:attribute name="latencyMs" type="xs:double"/>
    <xs:attribute name="finishReason" type="xs:string"/>
    <xs:attribute name="promptTokens" type="a:count"/>
    <xs:attribute name="completionTokens" type="a:count"/>
    <xs:attribute name="reasoningTokens" type="a:count"/>
    <xs:attribute name="errorKind" type="xs:string"/>
    <xs:attribute name="lastErrorKind" type="xs:string"/>
    <xs:attribute name="fallbackFor" type="xs:string"/>
    <xs:attribute name="attempts" type="a:count" use="required"/>
    <xs:attribute name="cached" type="xs:boolean" use="required"/>
    <xs:attribute name="outputTruncated" type="xs:boolean"/>
  </xs:complexType>

  <xs:element name="report">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="run">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="suite" maxOccurs="unbounded" minOccurs="0">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="label" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
                  </xs:sequence>
                  <xs:attribute name="id" type="xs:string" use="required"/>
                  <xs:attribute name="path" type="xs:string" use="required"/>
                  <xs:attribute name="kind" type="xs:string" use="required"/>
                  <xs:attribute name="grader" type="xs:string" use="required"/>
                  <xs:attribute name="cases" type="a:count" use="required"/>
                </xs:complexType>
              </xs:element>
              <xs:element name="model" maxOccurs="unbounded" minOccurs="0">
                <xs:complexType>
                  <xs:attribute name="id" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
            <xs:attribute name="id" type="xs:string" use="required"/>
            <xs:attribute name="status" type="a:runStatus" use="required"/>
            <xs:attribute name="plan" type="xs:string"/>
            <xs:attribute name="startedAt" type="xs:dateTime" use="required"/>
            <xs:attribute name="endedAt" type="xs:dateTime"/>
            <xs:attribute name="assayVersion" type="xs:string" use="required"/>
            <xs:attribute name="gitCommit" type="xs:string"/>
            <xs:attribute name="sandbox" type="xs:string"/>
            <xs:attribute name="unsandboxedCode" type="xs:boolean" use="required"/>
            <xs:attribute name="epochs" type="xs:positiveInteger" use="required"/>
            <xs:attribute name="concurrency" type="xs:positiveInteger" use="required"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="model" type="a:model" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="ranking" minOccurs="0" maxOccurs="2">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="entry" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:attribute name="position" type="xs:positiveInteger" use="required"/>
                  <xs:attribute name="model" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
            <xs:attribute name="by" use="required">
              <xs:simpleType>
                <xs:restriction base="xs:string">
                  <xs:enumeration value="score"/>
                  <xs:enumeration value="qualityPerDollar"/>
                </xs:restriction>
              </xs:simpleType>
            </xs:attribute>
          </xs:complexType>
        </xs:element>
        <xs:element name="frontier">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="point" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:attribute name="model" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name="items">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="item" type="a:item" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence>
            <xs:attribute name="count" type="a:count"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" fixed="1" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>

"""#
}
