// HuggingFace tokenizers (npm `tokenizers`, the Rust library's Node binding) side of the tokenizer benchmark.
// Called by bench/external-tokenizers.sh; needs NODE_PATH pointing at a node_modules that holds `tokenizers`.
//
//   node hf_train.js train CORPUS OUT_JSON
//       Trains a byte-level BPE on CORPUS (one document per line) and saves it as OUT_JSON.
//   node hf_train.js eval TRAINED_JSON HELDOUT OUT_DIR V[,V...]
//       For each V writes OUT_DIR/v{V}/tokenizer.json (256 byte tokens + the merges that create the first
//       V - 256 new tokens of TRAINED_JSON) and prints "V <tab> merges <tab> tokens <tab> bytes" for HELDOUT.
//
// Why the tokenizer is built from JSON: the binding's splitPreTokenizer() takes its pattern as a literal
// string, not a regex, so the GPT-4-style Split (the one our Java trainer exports) is only reachable
// through Tokenizer.fromString. Why no vocabulary size: Tokenizer.train(files) takes no trainer; it uses
// the model's default BpeTrainer (vocab_size 30,000, min_frequency 0, no initial alphabet).
'use strict'

const fs = require('fs')
const path = require('path')
const { Tokenizer } = require('tokenizers')

// Same pattern and flags as the Java pre-tokenizer (see ../shared/STACK.md, "Pre-tokenizer regex").
const GPT4_SPLIT =
  String.raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`

const BYTE_TOKENS = 256
const ENCODE_BATCH_LINES = 2000

function tokenizerSpec(normalizer, vocab, merges) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: GPT4_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  }
}

// GPT-2's byte -> printable char table, in byte order, so that id b is byte b in every truncated vocabulary.
function byteLevelChars() {
  const printable = (b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174
  const chars = []
  let shifted = 0
  for (let b = 0; b < BYTE_TOKENS; b++) {
    chars.push(String.fromCharCode(printable(b) ? b : BYTE_TOKENS + shifted++))
  }
  return chars
}

function train(corpus, outJson) {
  // train_from_files keeps each line's '\n'; the normalizer drops it so that HF learns from the documents
  // alone, as our trainer and spm_train do (otherwise ".\n" becomes a frequent pre-token). Removed on save.
  const dropNewline = { type: 'Replace', pattern: { String: '\n' }, content: '' }
  const tokenizer = Tokenizer.fromString(JSON.stringify(tokenizerSpec(dropNewline, {}, [])))
  const start = process.hrtime.bigint()
  tokenizer.train([corpus])
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const trained = JSON.parse(saveAndRead(tokenizer, outJson))
  trained.normalizer = null
  fs.writeFileSync(outJson, JSON.stringify(trained))
  const model = trained.model
  process.stderr.write(
    `hf train: ${seconds.toFixed(2)} s inside train(), vocab ${Object.keys(model.vocab).length}, ` +
      `merges ${model.merges.length}, alphabet ${Object.keys(model.vocab).length - model.merges.length}\n`,
  )
}

function saveAndRead(tokenizer, file) {
  tokenizer.save(file, false)
  return fs.readFileSync(file, 'utf8')
}

function mergePair(merge) {
  // tokenizers >= 0.20 writes merges as [left, right]; older files use "left right".
  return Array.isArray(merge) ? merge : merge.split(' ')
}

// The smallest merge prefix whose results, added to the 256 byte tokens, give exactly `size` ids.
function truncate(trainedMerges, size) {
  const vocab = {}
  byteLevelChars().forEach((c, id) => (vocab[c] = id))
  let next = BYTE_TOKENS
  const merges = []
  for (const merge of trainedMerges) {
    if (next >= size) break
    const [left, right] = mergePair(merge)
    merges.push([left, right])
    if (!(left + right in vocab)) vocab[left + right] = next++
  }
  if (next < size) {
    throw new Error(`size ${size} needs ${size - BYTE_TOKENS} merged tokens; the trained model has only ${next - BYTE_TOKENS}`)
  }
  return { vocab, merges }
}

async function evaluate(trainedJson, heldout, outDir, sizes) {
  const trained = JSON.parse(fs.readFileSync(trainedJson, 'utf8'))
  const lines = fs.readFileSync(heldout, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8'), 0)
  for (const size of sizes) {
    const { vocab, merges } = truncate(trained.model.merges, size)
    const dir = path.join(outDir, `v${size}`)
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, 'tokenizer.json')
    fs.writeFileSync(file, JSON.stringify(tokenizerSpec(null, vocab, merges)))
    const tokenizer = Tokenizer.fromFile(file)
    let tokens = 0
    let tokenBytes = 0
    let roundTripFailures = 0
    for (let i = 0; i < lines.length; i += ENCODE_BATCH_LINES) {
      const batch = lines.slice(i, i + ENCODE_BATCH_LINES)
      const encodings = await tokenizer.encodeBatch(batch, { addSpecialTokens: false })
      // Every byte-level char stands for one byte, so the chars of the tokens must add up to the bytes.
      for (const encoding of encodings) {
        tokens += encoding.getLength()
        for (const token of encoding.getTokens()) tokenBytes += token.length
      }
      const decoded = await tokenizer.decodeBatch(encodings.map((e) => e.getIds()), false)
      decoded.forEach((text, j) => (roundTripFailures += text === batch[j] ? 0 : 1))
    }
    if (tokenBytes !== bytes || roundTripFailures > 0) {
      throw new Error(`V=${size}: tokens cover ${tokenBytes} bytes of ${bytes}; ${roundTripFailures} lines fail decode(encode(line))`)
    }
    process.stdout.write(`${size}\t${merges.length}\t${tokens}\t${bytes}\n`)
  }
}

async function main(argv) {
  const [command, ...args] = argv
  if (command === 'train' && args.length === 2) return train(args[0], args[1])
  if (command === 'eval' && args.length === 4) {
    const sizes = args[3].split(',').map((s) => {
      const v = Number(s)
      if (!Number.isInteger(v) || v <= BYTE_TOKENS) throw new Error(`sizes must be integers > ${BYTE_TOKENS}, got '${s}'`)
      return v
    })
    return evaluate(args[0], args[1], args[2], sizes)
  }
  throw new Error('usage: hf_train.js train CORPUS OUT_JSON | eval TRAINED_JSON HELDOUT OUT_DIR V[,V...]')
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`hf_train.js: ${e.message}\n`)
  process.exit(1)
})
