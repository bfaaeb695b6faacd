/* A stand-in for a library that must exist beside another (libcublasLt, cuDNN's sub-libraries). */
int jcnn_stub_placeholder;
