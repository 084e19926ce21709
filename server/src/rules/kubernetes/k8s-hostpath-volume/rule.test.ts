import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod mounting volume `v` (readOnly line 11) from host path `path` (line 15). */
const pod = (path: string, readOnly = 'false') => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      volumeMounts:
        - name: v
          mountPath: /data
          readOnly: ${readOnly}
  volumes:
    - name: v
      hostPath:
        path: ${path}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (PVC, emptyDir, configMap, ephemeral)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'allowed prefix mounted read-only', code: pod('/mnt/datasets/imagenet', 'true'), params: { allowed_host_paths: ['/mnt/datasets'] } },
    { name: 'templated path is unknown', code: pod('"{{ .Values.hostPath }}"') },
    { name: 'allowed prefix with templated readOnly is unknown', code: pod('/mnt/datasets', '${RO}'), params: { allowed_host_paths: ['/mnt/datasets/'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (runtime socket, plain host path, nfs)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '20:19-20:39', severity: 'critical', message: 'hostPath /var/run/docker.sock of volume "docker" of DaemonSet "node-agent" gives control of the node' },
        { at: '23:19-23:37', severity: 'high', message: 'Use a persistentVolumeClaim' },
        { at: '26:11-26:14', severity: 'medium', message: 'is of type nfs' },
      ],
    },
    { name: 'allowed prefix mounted writable', code: pod('/mnt/datasets', 'false'), params: { allowed_host_paths: ['/mnt/datasets'] }, errors: [{ at: '16:15-16:28', severity: 'high', message: 'is allowed only read-only, but container "app" in Pod "p" mounts it writable' }] },
    { name: 'prefixes match whole segments', code: pod('/mnt/datasets-raw', 'true'), params: { allowed_host_paths: ['/mnt/datasets'] }, errors: [{ at: '16:15-16:32', severity: 'high' }] },
    { name: '/ is critical', code: pod('/'), errors: [{ at: '16:15-16:16', severity: 'critical' }] },
    { name: '/etc/kubernetes is critical', code: pod('/etc/kubernetes/'), errors: [{ at: '16:15-16:31', severity: 'critical' }] },
    { name: 'containerd socket under /run is critical', code: pod('/run/containerd/containerd.sock'), errors: [{ at: '16:15-16:46', severity: 'critical' }] },
    {
      name: 'allowed prefix with templated volumeMounts is unknown (report_unknown)',
      code: pod('/mnt/datasets').replace(/volumeMounts:\n[\s\S]*?readOnly: false\n/, 'volumeMounts: {{ toYaml .Values.mounts }}\n'),
      params: { allowed_host_paths: ['/mnt/datasets'], report_unknown: true },
      errors: [{ at: '9:21-9:48', severity: 'info', message: 'volumeMounts of container "app"' }],
    },
    { name: 'report_unknown: templated path', code: pod('${HOST_PATH}'), params: { report_unknown: true }, errors: [{ at: '16:15-16:27', severity: 'info', message: 'could not evaluate k8s-hostpath-volume' }] },
  ],
});
