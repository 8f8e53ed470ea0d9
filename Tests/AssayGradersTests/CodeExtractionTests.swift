@testable import AssayGraders
import Testing

@Suite struct CodeExtractionTests {
    func extract(_ answer: String, prompt: String? = nil) -> CodeExtraction.Candidate? {
        CodeExtraction.extract(from: answer, entryPoint: "solve", prompt: prompt)
    }

    @Test(arguments: ["python", "py", "python3", "", "Python"])
    func fencedBlocksOfPythonAreTaken(language: String) {
        let answer = "Here you go:\n```\(language)\ndef solve(x):\n    return x + 1\n```\nThat adds one."
        #expect(extract(answer)?.code == "def solve(x):\n    return x + 1")
        #expect(extract(answer)?.rule == "fenced block")
    }

    @Test func theLastBlockDefiningTheEntryPointWins() {
        let answer = """
            First attempt:
            ```python
            def solve(x):
                return x
            ```
            Usage:
            ```python
            print(solve(2))
            ```
            Fixed:
            ```python
            def solve(x):
                return x * 2
            ```
            """
        #expect(extract(answer)?.code == "def solve(x):\n    return x * 2")
        #expect(extract(answer)?.rule == "last fenced block defining solve")
    }

    @Test func otherLanguagesAreIgnored() {
        let answer = "```bash\nrm -rf /\n```\n```python\ndef solve():\n    pass\n```"
        #expect(extract(answer)?.code == "def solve():\n    pass")
        #expect(extract("```js\nfunction solve() {}\n```") == nil)
    }

    @Test func anUnclosedFenceRunsToTheEnd() {
        #expect(
            extract("```python\ndef solve(x):\n    return [\n        x,")?.code
                == "def solve(x):\n    return [\n        x,")
    }

    @Test func rawCodeLosesItsLeadingProse() {
        let answer = "Sure, here is the function.\n\nimport math\n\ndef solve(x):\n    return math.floor(x)\n"
        #expect(extract(answer)?.code == "import math\n\ndef solve(x):\n    return math.floor(x)")
        #expect(extract(answer)?.rule == "raw answer after prose")
    }

    @Test func aBodyContinuesThePromptsFunction() {
        let prompt = "def solve(xs: list) -> int:\n    \"\"\"Sum of xs.\"\"\"\n"
        let candidate = extract("    return sum(xs)\n", prompt: prompt)
        #expect(candidate?.code == prompt + "    return sum(xs)")
        #expect(candidate?.rule.contains("continuing the prompt's function") == true)
        let fenced = extract("```python\n    return sum(xs)\n```", prompt: prompt)
        #expect(fenced?.code == prompt + "    return sum(xs)")
    }

    @Test func asyncAndIndentedDefinitionsCount() {
        #expect(CodeExtraction.defines("solve", in: "class A:\n    async def solve(self):\n        pass"))
        #expect(!CodeExtraction.defines("solve", in: "def solver(x): pass"))
        #expect(!CodeExtraction.defines("solve", in: "# def solve(x)"))
    }

    @Test func prosePassesAsNothing() {
        #expect(extract("") == nil)
        #expect(extract("I cannot help with that.") == nil)
        #expect(extract("```python\n\n```") == nil)
    }
}

extension CodeExtractionTests {
    /// An answer written with CRLF line endings (a Windows-side proxy, some models) is the
    /// same answer: in Swift CRLF is one Character, which a split at "\n" never found.
    @Test func anAnswerWithCRLFLineEndingsFindsItsCode() {
        let answer = "Here it is:\r\n```python\r\ndef solve():\r\n    return 42\r\n```\r\n"
        let candidate = CodeExtraction.extract(from: answer, entryPoint: "solve", prompt: nil)
        #expect(candidate?.rule == "fenced block")
        #expect(candidate?.code.contains("return 42") == true)
    }
}
