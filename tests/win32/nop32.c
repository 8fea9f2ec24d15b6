/* nop32.c - the trivial stock-MinGW program whose whole life bench32.c measures. */
int main(void)
{
    return 0;
}
