import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` has one env var (value on line 11). */
const pod = (name: string, value: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: ${name}
          value: ${value}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (secretKeyRef, look-alike names, reference suffixes, empty, $(VAR))', code: fixture(__dirname, 'pass.yaml') },
    { name: 'templated secret value is unknown', code: pod('HF_TOKEN', '"{{ .Values.hfToken }}"') },
    { name: 'custom secret_name_patterns replace the defaults', code: pod('DB_PASSWORD', 'hunter2'), params: { secret_name_patterns: ['^MY_SECRET$'] } },
    { name: 'a value matching no credential pattern under an ordinary name', code: pod('GREETING', 'hello') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (OpenAI key, secret-like name, AWS key under an odd name, ConfigMap HF token)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '14:22-14:62', severity: 'critical', message: 'OPENAI_API_KEY of container "bot" in Deployment "chatbot" is set to a literal value that matches a credential pattern' },
        { at: '16:22-16:35', severity: 'high', message: 'its name says it is a secret' },
        { at: '20:22-20:42', severity: 'critical', message: 'Rotate the exposed credential' },
        { at: '28:7-28:46', severity: 'critical', message: 'Key hf of ConfigMap "chatbot-config"' },
      ],
    },
    { name: 'the message never contains the value', code: pod('ANTHROPIC_API_KEY', 'sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA'), errors: [{ at: '11:18-11:55', severity: 'critical', message: /^(?!.*sk-ant-api03-AAAA).*secretKeyRef \{name: p-secrets, key: ANTHROPIC_API_KEY\}/ }] },
    { name: 'a numeric password is a literal', code: pod('DB_PASSWORD', '123456'), errors: [{ at: '11:18-11:24', severity: 'high' }] },
    { name: 'secret_name sets the referenced Secret', code: pod('HF_TOKEN', 'abc'), params: { secret_name: 'ml-secrets' }, errors: [{ at: '11:18-11:21', message: '{name: ml-secrets, key: HF_TOKEN}' }] },
    { name: 'report_unknown: templated secret value', code: pod('HF_TOKEN', '${HF_TOKEN}'), params: { report_unknown: true }, errors: [{ at: '11:18-11:29', severity: 'info', message: 'could not evaluate k8s-secret-env-literal' }] },
    {
      name: "fix: replaces the literal with a secretKeyRef",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: HF_TOKEN
          value: "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
        - name: LOG_LEVEL
          value: info
`,
      errors: [{ at: '11:18-11:59' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: HF_TOKEN
          valueFrom:
            secretKeyRef:
              name: chat-secrets
              key: HF_TOKEN
        - name: LOG_LEVEL
          value: info
`,
    },
    {
      name: "fix: flow env item stays flow",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - {name: OPENAI_API_KEY, value: not-a-real-key-but-still-literal}
`,
      errors: [{ at: '10:41-10:73' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - {name: OPENAI_API_KEY, valueFrom: {secretKeyRef: {name: chat-secrets, key: OPENAI_API_KEY}}}
`,
    },
    {
      name: "fix: a block scalar value is replaced up to its last line (CRLF file)",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: TLS_PRIVATE_KEY
          value: |
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
            -----END PRIVATE KEY-----
        - name: LOG_LEVEL
          value: info
`.replace(/\n/g, '\r\n'),
      errors: [{ at: '11:18-14:38' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: chat
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - name: TLS_PRIVATE_KEY
          valueFrom:
            secretKeyRef:
              name: chat-secrets
              key: TLS_PRIVATE_KEY
        - name: LOG_LEVEL
          value: info
`.replace(/\n/g, '\r\n'),
    },
  ],
});
